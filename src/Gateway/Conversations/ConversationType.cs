using Gateway.DataLoading;
using Gateway.Messages;
using Gateway.Paging;
using Gateway.Participants;
using Gateway.Schema;
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
        this.Key("id");

        Field<NonNullGraphType<IdGraphType>>("id").Description("Meta's conversation id (`t_...` on Messenger).").Resolve(c => c.Source.Data.Id);
        Field<NonNullGraphType<PlatformType>>("platform").Description("Messenger or Instagram.").Resolve(c => c.Source.Platform);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("updatedTime").Description("When the conversation last changed.")
            .Resolve(c => c.Source.Data.UpdatedTime);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ParticipantType>>>>("participants")
            .Description("The people and the Page in the conversation.")
            .Resolve(c => c.Source.Data.Participants?.Data ?? []);
        Field<IntGraphType>("messageCount").Description("How many messages the conversation holds.").Resolve(c => c.Source.Data.MessageCount);
        Field<IntGraphType>("unreadCount").Description("How many messages the Page has not read.").Resolve(c => c.Source.Data.UnreadCount);
        Field<StringGraphType>("snippet").Description("The text of the most recent message.").Resolve(c => c.Source.Data.Snippet);
        Field<MessagesConnectionType>("messages")
            .Description("The conversation's messages, newest first.")
            .WithConnectionArguments()
            .Resolve(ResolveMessages);

        this.ResolveReference<ConversationReference, ConversationNode>((context, reference) => ConversationQueries.Load(
            context, context.RequestServices!.GetRequiredService<RequestLoaders>().ForNode(), NodeIds.Validate(reference.Id, "representations.id")));
    }

    private static object ResolveMessages(IResolveFieldContext<ConversationNode> context)
    {
        var arguments = ConnectionArguments.From(context);
        var loaders = context.Source.Loaders;
        var requested = MessageFieldSelection.FromConnection(context, context.FieldAst.SelectionSet);
        // With push-down the listing carries the selected details; a first page usually came with the parent's call.
        var listed = loaders.PushDown ? requested : MessageFields.None;
        var request = arguments.ToMetaRequest();
        var key = new MessagesPageKey(context.Source.Data.Id, request.Limit, request.After, request.Before, listed);
        Connection<MessageNode> ToConnection(GraphPage<Message> page) => ConnectionFactory.FromMetaPage(page.Data, page.Paging, arguments, request,
            (message, position) => new MessageNode(message.Id, position, message.CreatedTime,
                listed != MessageFields.None && position < MessageNode.DetailsWindow ? new MessageDetails(message, listed) : null,
                requested, loaders));
        // A page pushed down into the parent's call is at hand: returning it as a value skips the DataLoader round.
        return loaders.MessagePages.TryGetPushed(key, out var pushed) ? ToConnection(pushed) : loaders.MessagePages.Load(key).Then(ToConnection);
    }
}

/// <summary>The <c>{ id }</c> representation Apollo Federation sends for a conversation.</summary>
public sealed class ConversationReference
{
    public string Id { get; set; } = "";
}

public sealed class ConversationsConnectionType() : ConnectionGraphType<ConversationType, ConversationsEdgeType, ConversationNode>("ConversationsConnection", "conversations");

public sealed class ConversationsEdgeType() : EdgeGraphType<ConversationType, ConversationNode>("ConversationsEdge", "conversations");
