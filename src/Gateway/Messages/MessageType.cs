using Gateway.Api;
using Gateway.DataLoading;
using Gateway.Paging;
using Gateway.Participants;
using Gateway.Projection;
using GraphQL;
using GraphQL.Federation;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Messages;

public sealed class MessageType : ObjectGraphType<MessageNode>
{
    public MessageType()
    {
        Name = "Message";
        Description = "A message in a Messenger or Instagram conversation. Graph API only gives details of a conversation's 20 most recent messages; older ones come from the gateway's message archive when it kept them (`detailsSource: ARCHIVE`), else their detail fields are null and `detailsAvailable` is false.";
        this.ImplementsNode(message => message.Id, "Meta's message id (`m_...` on Messenger).");
        this.Key("id");
        this.Key("metaId");
        Field<NonNullGraphType<IsoDateTimeGraphType>>("createdTime").Description("When the message was sent.").ReadsGraph("created_time")
            .Resolve(c => c.Source.CreatedTime ?? Details(c, static (m, _) => m?.CreatedTime
                ?? throw new GatewayError("META_MESSAGE_UNAVAILABLE", "Graph API gives no details, not even the time, of a message outside its conversation's 20 most recent.")));
        Field<NonNullGraphType<BooleanGraphType>>("detailsAvailable")
            .Description("Whether this message's details are given: by Graph API for the 20 most recent messages of a conversation, by the gateway's message archive for older ones it kept.")
            .ReadsGraph("id").Resolve(c => Source(c, source => source != MessageDetailsSource.Unavailable));
        Field<NonNullGraphType<MessageDetailsSourceType>>("detailsSource")
            .Description("Where this message's details come from: Meta (`GRAPH`), the gateway's message archive (`ARCHIVE`), or nowhere (`UNAVAILABLE`).")
            .ReadsGraph("id").Resolve(c => Source(c, source => source));
        Field<ParticipantType>("from").Description("The sender.").ReadsGraph("from")
            .Resolve(c => Details(c, static (m, loaders) => ParticipantNode.From(m?.From, loaders)));
        Field<ListGraphType<NonNullGraphType<ParticipantType>>>("to").Description("The recipients.").ReadsGraph("to")
            .Resolve(c => Details(c, static (m, loaders) => ParticipantNode.From(m?.To?.Data, loaders)));
        Field<StringGraphType>("message").Description("The text; empty when the message only carries attachments or a sticker.").ReadsGraph("message")
            .Resolve(c => Details(c, static (m, _) => m?.Text));
        Field<ListGraphType<NonNullGraphType<AttachmentType>>>("attachments").Description("Files sent with the message.").ReadsGraphList("attachments")
            .Resolve(c => Details(c, static (m, _) => m?.Attachments?.Data));
        Field<StringGraphType>("sticker").Description("The URL of the sticker image, when the message is a sticker (Messenger).").ReadsGraph("sticker")
            .Resolve(c => Details(c, static (m, _) => m?.Sticker));
        Field<IdGraphType>("replyTo").Description("The id of the message this one replies to.").ReadsGraph("reply_to")
            .Resolve(c => Details(c, static (m, _) => m?.ReplyTo?.Mid));
        Field<ListGraphType<NonNullGraphType<ShareType>>>("shares")
            .Description("What was shared in the message (a post, a reel, a product). Graph API gives only the image or video URL of a shared item, not the item itself.")
            .ReadsGraphList("shares").Resolve(c => Details(c, static (m, _) => m?.Shares?.Data));
        Field<StoryReferenceType>("story").Description("The Instagram story this message replies to or mentions (Instagram only).")
            .ReadsGraph("story").Resolve(c => Details(c, static (m, _) => m?.Story));
        Field<ListGraphType<NonNullGraphType<ReactionType>>>("reactions").Description("Reactions to the message and who reacted.")
            .ReadsGraphList("reactions").Resolve(c => Details(c, static (m, loaders) => m?.Reactions?.Data.Select(r => new ReactionNode(r, loaders))));
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("tags")
            .Description("Meta's labels of the message, e.g. `inbox`, `read`, `sent`, `source:web` (Messenger).")
            .ReadsGraph("tags").Resolve(c => Details(c, static (m, _) => m?.Tags?.Data.Select(tag => tag.Name)));
        Field<BooleanGraphType>("isUnsupported")
            .Description("True when Meta cannot show the message's content through the API (say, a poll or a type it does not serve yet).")
            .ReadsGraph("is_unsupported").Resolve(c => Details(c, static (m, _) => m is null ? null : (bool?)(m.IsUnsupported == true)));

        this.ResolveReference<NodeReference, MessageNode>((context, reference) => MessageQueries.Load(
            context.RequestServices!.GetRequiredService<RequestLoaders>().ForNode(), reference.MetaIdOf(Name),
            MessageFields.FromMessage(Projection.SelectionSets.FieldsOn(context, context.FieldAst.SelectionSet, Name))));
    }

    /// <summary>A detail of the message: the value itself when the details are at hand (pushed down with the listing, or
    /// known to be unavailable), else a loader result that batches every message of the current level into one call. The
    /// executor tells the two apart at run time; a plain value skips its DataLoader bookkeeping, which matters on a
    /// hundred messages. The Graph fields needed are the ones the field declares; <paramref name="select"/> gets the
    /// request's loaders rather than capturing them (a closure per field per message).</summary>
    private static object? Details<T>(IResolveFieldContext<MessageNode> context, Func<Message?, GraphLoaders, T> select)
    {
        var node = context.Source;
        var needed = MessageFields.Of(context.FieldDefinition.Name);
        if (node.Details is { } details && (details.Data is null || details.Loaded.Covers(needed)))
        {
            return select(details.Data, node.Loaders);
        }
        return LoadDetails(node, needed, select);
    }

    // Apart from Details: the closure would otherwise be allocated on its every call, details at hand or not.
    private static object LoadDetails<T>(MessageNode node, MessageFields needed, Func<Message?, GraphLoaders, T> select)
        => node.LoadDetails(needed).Then(loaded => select(loaded.Data, node.Loaders));

    /// <summary>Where the details come from: known without reading them inside the details window, else read as the
    /// details are (and with them).</summary>
    private static object? Source<T>(IResolveFieldContext<MessageNode> context, Func<MessageDetailsSource, T> select)
        => context.Source.KnownSource is { } known ? select(known) : context.Source.LoadDetails(MessageFields.None).Then(loaded => select(loaded.Source));
}

public sealed class MessageDetailsSourceType : EnumerationGraphType<MessageDetailsSource>
{
    public MessageDetailsSourceType()
    {
        Name = "MessageDetailsSource";
        Description = "Where a message's details come from.";
    }
}

public sealed class MessagesConnectionType() : ConnectionGraphType<MessageType, MessagesEdgeType, MessageNode>("MessagesConnection", "messages");

public sealed class MessagesEdgeType() : EdgeGraphType<MessageType, MessageNode>("MessagesEdge", "messages");
