using Gateway.Api;
using Gateway.DataLoading;
using Gateway.Messages;
using Gateway.Paging;
using Gateway.Participants;
using Gateway.Projection;
using GraphQL;
using GraphQL.Federation;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Conversations;

public sealed class PlatformType : EnumerationGraphType<Platform>
{
    public PlatformType()
    {
        Name = "Platform";
        Description = "The inbox a conversation lives in.";
    }
}

public sealed class ConversationType : ObjectGraphType<ConversationNode>
{
    public ConversationType()
    {
        Name = "Conversation";
        Description = "A Messenger or Instagram conversation between a Page (or Instagram professional account) and a person.";
        this.ImplementsNode(conversation => conversation.Data.Id, "Meta's conversation id (`t_...` on Messenger).");
        this.Key("id");
        this.Key("metaId");
        Field<NonNullGraphType<PlatformType>>("platform").Description("Messenger or Instagram.").ReadsGraph("id").Resolve(c => c.Source.Platform);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("updatedTime").Description("When the conversation last changed.")
            .ReadsGraph("updated_time").Resolve(c => c.Source.Data.UpdatedTime ?? (c.Source.AsOfEvent
                ? throw new GatewayError("EVENT_STATE_UNAVAILABLE", "A replayed read or unsend does not say when its conversation last changed; read the conversation for its current state.")
                : null));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ParticipantType>>>>("participants")
            .Description("The people and the Page in the conversation.")
            .ReadsGraph("participants").Resolve(c => ParticipantNode.From(c.Source.Data.Participants?.Data ?? [], c.Source.Loaders));
        Field<IntGraphType>("messageCount").Description("How many messages the conversation holds.")
            .ReadsGraph("message_count").Resolve(c => c.Source.Data.MessageCount);
        Field<IntGraphType>("unreadCount").Description("How many messages the Page has not read.")
            .ReadsGraph("unread_count").Resolve(c => c.Source.Data.UnreadCount);
        Field<StringGraphType>("snippet").Description("The text of the most recent message.").ReadsGraph("snippet").Resolve(c => c.Source.Data.Snippet);
        Field<MessagesConnectionType>("messages")
            .Description("The conversation's messages, newest first. Null in a replayed subscription event, which says only what the event said.")
            .WithConnectionArguments()
            .ReadsGraphEdge("messages")
            .Resolve(ResolveMessages);

        this.ResolveReference<NodeReference, ConversationNode>((context, reference) => ConversationQueries.Load(
            context, context.RequestServices!.GetRequiredService<RequestLoaders>().ForNode(), reference.MetaIdOf(Name)));
    }

    private static object? ResolveMessages(IResolveFieldContext<ConversationNode> context)
    {
        if (context.Source.AsOfEvent)
        {
            return null;
        }
        var arguments = ConnectionArguments.From(context);
        var loaders = context.Source.Loaders;
        var requested = MessageFields.FromConnection(context, context.FieldAst.SelectionSet);
        // With push-down the listing carries the selected details; a first page usually came with the parent's call.
        var listed = loaders.PushDown ? requested : MessageFields.None;
        var request = arguments.ToMetaRequest();
        var key = MessagesListingKey.For(context.Source.Data.Id, request, listed);
        Connection<MessageNode> ToConnection(GraphList<Message> page) => ConnectionFactory.FromMetaPage(page.Data, page.Paging, arguments, request,
            (message, position) => MessageNode.FromListing(message, position, listed, requested, loaders));
        // A page pushed down into the parent's call is at hand: returning it as a value skips the DataLoader round.
        var listings = loaders.Get<MessagesListingLoader>();
        return listings.TryGetPushed(key, out var pushed) ? ToConnection(pushed) : listings.Load(key).Then(ToConnection);
    }
}

public sealed class ConversationsConnectionType() : ConnectionGraphType<ConversationType, ConversationsEdgeType, ConversationNode>("ConversationsConnection", "conversations");

public sealed class ConversationsEdgeType() : EdgeGraphType<ConversationType, ConversationNode>("ConversationsEdge", "conversations");
