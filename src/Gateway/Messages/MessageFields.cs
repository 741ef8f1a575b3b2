using Gateway.Projection;
using GraphQL;
using GraphQLParser.AST;
using MetaGraph;

namespace Gateway.Messages;

/// <summary>The detail fields of a message that a query selected. <c>id</c> and <c>created_time</c> are always read:
/// they come with every listing.</summary>
[Flags]
public enum MessageFields
{
    None = 0,
    From = 1,
    To = 2,
    Text = 4,
    Attachments = 8,
    Sticker = 16,
    ReplyTo = 32,
}

public static class MessageFieldSelection
{
    private static readonly FieldList AttachmentFields =
        FieldList.Of("id", "mime_type", "name", "size", "file_url", "image_data", "video_data");

    /// <summary>The Graph API fields for a message with these details, e.g. <c>id,created_time,from,message</c>.</summary>
    public static FieldList ToFieldList(this MessageFields fields)
    {
        var list = FieldList.Of("id", "created_time");
        if (fields.HasFlag(MessageFields.From)) list = list.Add("from");
        if (fields.HasFlag(MessageFields.To)) list = list.Add("to");
        if (fields.HasFlag(MessageFields.Text)) list = list.Add("message");
        if (fields.HasFlag(MessageFields.Attachments)) list = list.AddEdge("attachments", AttachmentFields);
        if (fields.HasFlag(MessageFields.Sticker)) list = list.Add("sticker");
        if (fields.HasFlag(MessageFields.ReplyTo)) list = list.Add("reply_to");
        return list;
    }

    /// <summary>Details selected on a <c>Message</c>.</summary>
    public static MessageFields FromMessage(IEnumerable<GraphQLField> messageFields)
    {
        var fields = MessageFields.None;
        foreach (var field in messageFields)
        {
            fields |= field.Name.StringValue switch
            {
                "from" => MessageFields.From,
                "to" => MessageFields.To,
                "message" => MessageFields.Text,
                "attachments" => MessageFields.Attachments,
                "sticker" => MessageFields.Sticker,
                "replyTo" => MessageFields.ReplyTo,
                _ => MessageFields.None,
            };
        }
        return fields;
    }

    /// <summary>Details selected on the nodes of a <c>MessagesConnection</c> (through <c>nodes</c> or <c>edges.node</c>).</summary>
    public static MessageFields FromConnection(IResolveFieldContext context, GraphQLSelectionSet? connectionSelection)
    {
        var connection = SelectionSets.FieldsOn(context, connectionSelection, "MessagesConnection").ToList();
        var messages = connection.Children(context, "nodes", "Message")
            .Concat(connection.Children(context, "edges", "MessagesEdge").Children(context, "node", "Message"));
        return FromMessage(messages);
    }
}
