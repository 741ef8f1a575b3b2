using Gateway.Api;
using Gateway.Conversations;
using Gateway.DataLoading;
using Gateway.Inbox;
using Gateway.Messages;
using GraphQL.Types;

namespace Gateway.Subscriptions;

/// <summary>An inbox event with the request's loaders, for the fields that need the Graph API.</summary>
public sealed record MessageEventNode(InboxEvent Event, GraphLoaders Loaders);

public sealed class MessageEventKindType : EnumerationGraphType<InboxEventKind>
{
    public MessageEventKindType()
    {
        Name = "MessageEventKind";
        Description = "What happened in the inbox.";
    }
}

public sealed class ReactionActionType : EnumerationGraphType<ReactionAction>
{
    public ReactionActionType()
    {
        Name = "ReactionAction";
        Description = "Whether a reaction was added or removed.";
    }
}

public sealed class MessageReactionType : ObjectGraphType<WebhookReaction>
{
    public MessageReactionType()
    {
        Name = "MessageReaction";
        Description = "A reaction added to or removed from a message.";
        Field<NonNullGraphType<ReactionActionType>>("action").Description("Added or removed.").Resolve(c => c.Source.Action);
        Field<StringGraphType>("reaction").Description("Meta's name for the reaction, e.g. `love`.").Resolve(c => c.Source.Reaction);
        Field<StringGraphType>("emoji").Description("The reaction's emoji, e.g. ❤.").Resolve(c => c.Source.Emoji);
    }
}

public sealed class MessageEventType : ObjectGraphType<MessageEventNode>
{
    public MessageEventType()
    {
        Name = "MessageEvent";
        Description = "Something that happened in a Page's inbox: a new message, the Page's own message (echo), a read, a reaction or an unsent message.";

        Field<NonNullGraphType<MessageEventKindType>>("kind").Description("What happened.").Resolve(c => c.Source.Event.Kind);
        Field<NonNullGraphType<IdGraphType>>("pageId").Description("The Page whose inbox it happened in.").Resolve(c => c.Source.Event.PageId);
        Field<NonNullGraphType<PlatformType>>("platform").Description("Messenger or Instagram.").Resolve(c => c.Source.Event.Platform);
        Field<NonNullGraphType<IdGraphType>>("personId")
            .Description("The person on the other side: their page-scoped id (PSID) on Messenger, Instagram-scoped id (IGSID) on Instagram.")
            .Resolve(c => c.Source.Event.PersonId);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("timestamp").Description("When it happened, as Meta reports it.").Resolve(c => c.Source.Event.Timestamp);
        Field<IdGraphType>("messageId").Description("The message it is about (not set for reads).").Resolve(c => c.Source.Event.MessageId);
        Field<MessageType>("message")
            .Description("The message it is about. A new or echoed message resolves from the webhook; a reacted-to or unsent one is read from the Graph API when fields beyond `id` are selected.")
            .ResolveAsync(async c => await WebhookNodes.MessageAsync(c, c.Source.Event, c.Source.Loaders));
        Field<ConversationType>("conversation")
            .Description("The person's conversation with the Page (null when it could not be found).")
            .ResolveAsync(c => WebhookNodes.ConversationAsync(c, c.Source.Event, c.Source.Loaders));
        Field<IsoDateTimeGraphType>("watermark").Description("For a read: every message up to this time was read.").Resolve(c => c.Source.Event.Watermark);
        Field<MessageReactionType>("reaction").Description("For a reaction: what was added or removed.").Resolve(c => c.Source.Event.Reaction);
    }
}
