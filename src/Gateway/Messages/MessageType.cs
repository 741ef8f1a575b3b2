using Gateway.DataLoading;
using Gateway.Paging;
using Gateway.Participants;
using Gateway.Schema;
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
        Description = "A message in a Messenger or Instagram conversation. Graph API only gives details of a conversation's 20 most recent messages; for older ones the detail fields are null and `detailsAvailable` is false.";
        this.Key("id");

        Field<NonNullGraphType<IdGraphType>>("id").Description("Meta's message id (`m_...` on Messenger).").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("createdTime").Description("When the message was sent.")
            .Resolve(c => c.Source.CreatedTime ?? Details(c.Source, MessageFields.None, m => m?.CreatedTime
                ?? throw new GatewayError("META_MESSAGE_UNAVAILABLE", "Graph API gives no details, not even the time, of a message outside its conversation's 20 most recent.")));
        Field<NonNullGraphType<BooleanGraphType>>("detailsAvailable")
            .Description("Whether Graph API gives this message's details: true for the 20 most recent messages of a conversation.")
            .Resolve(c => c.Source.KnownDetailsAvailable ?? Details(c.Source, MessageFields.None, m => m is not null));
        Field<ParticipantType>("from").Description("The sender.")
            .Resolve(c => Details(c.Source, MessageFields.From, m => m?.From));
        Field<ListGraphType<NonNullGraphType<ParticipantType>>>("to").Description("The recipients.")
            .Resolve(c => Details(c.Source, MessageFields.To, m => m?.To?.Data));
        Field<StringGraphType>("message").Description("The text; empty when the message only carries attachments or a sticker.")
            .Resolve(c => Details(c.Source, MessageFields.Text, m => m?.Text));
        Field<ListGraphType<NonNullGraphType<AttachmentType>>>("attachments").Description("Files sent with the message.")
            .Resolve(c => Details(c.Source, MessageFields.Attachments, m => m?.Attachments?.Data));
        Field<StringGraphType>("sticker").Description("The URL of the sticker image, when the message is a sticker (Messenger).")
            .Resolve(c => Details(c.Source, MessageFields.Sticker, m => m?.Sticker));
        Field<IdGraphType>("replyTo").Description("The id of the message this one replies to.")
            .Resolve(c => Details(c.Source, MessageFields.ReplyTo, m => m?.ReplyTo?.Mid));

        this.ResolveReference<MessageReference, MessageNode>((context, reference) => MessageQueries.Load(
            context.RequestServices!.GetRequiredService<RequestLoaders>().ForNode(), NodeIds.Validate(reference.Id, "representations.id"),
            MessageFieldSelection.FromMessage(Projection.SelectionSets.FieldsOn(context, context.FieldAst.SelectionSet, Name))));
    }

    /// <summary>A detail of the message: the value itself when the details are at hand (pushed down with the listing, or
    /// known to be unavailable), else a loader result that batches every message of the current level into one call. The
    /// executor tells the two apart at run time; a plain value skips its DataLoader bookkeeping, which matters on a
    /// hundred messages.</summary>
    private static object? Details<T>(MessageNode node, MessageFields needed, Func<Message?, T> select)
    {
        if (node.Details is { } details && (details.Data is null || (details.Loaded & needed) == needed))
        {
            return select(details.Data);
        }
        if (node.KnownDetailsAvailable == false)
        {
            return select(null);
        }
        return node.Loaders.Messages.Load(new MessageKey(node.Id, node.Requested | needed)).Then(select);
    }
}

/// <summary>The <c>{ id }</c> representation Apollo Federation sends for a message.</summary>
public sealed class MessageReference
{
    public string Id { get; set; } = "";
}

public sealed class MessagesConnectionType() : ConnectionGraphType<MessageType, MessagesEdgeType, MessageNode>("MessagesConnection", "messages");

public sealed class MessagesEdgeType() : EdgeGraphType<MessageType, MessageNode>("MessagesEdge", "messages");
