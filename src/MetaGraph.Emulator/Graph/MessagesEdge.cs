using System.Text.Json;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.FieldExpansion;
using MetaGraph.Emulator.Paging;

namespace MetaGraph.Emulator.Graph;

/// <summary><c>/{conversation}/messages</c>, standalone or expanded: every message id, newest first.</summary>
internal static class MessagesEdge
{
    public static void Read(Utf8JsonWriter writer, ConversationData conversation, GraphRequest request)
    {
        var fields = FieldSelection.Parse(request["fields"]) ?? MessageJson.DefaultFields;
        NodeType.Message.Validate(fields);
        Write(writer, conversation, fields, PageWindow.ParseLimit(request["limit"], request.Options.MaxMessagesLimit),
            request["after"], request["before"], new EdgeLink(request, conversation.Id, "messages", Nested: false));
    }

    public static void Write(Utf8JsonWriter writer, ConversationData conversation, IReadOnlyList<FieldSelection> fields,
        int limit, string? after, string? before, EdgeLink link)
    {
        var window = PageWindow.Select(Cursor.ListKey("messages", conversation.Id), conversation.MessageCount, limit, after, before);
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        for (var i = window.Start; i < window.End; i++)
        {
            MessageJson.Write(writer, conversation.Messages[i], fields, link.Request);
        }
        writer.WriteEndArray();
        PagingBlock.Write(writer, window, link);
        writer.WriteEndObject();
    }
}
