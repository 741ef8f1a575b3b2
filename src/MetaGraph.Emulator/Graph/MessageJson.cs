using System.Text.Json;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.FieldExpansion;

namespace MetaGraph.Emulator.Graph;

/// <summary>A Message node. Fields without data are omitted, except <c>message</c>, which is <c>""</c> when there is no text.</summary>
internal static class MessageJson
{
    public static readonly IReadOnlyList<FieldSelection> DefaultFields = FieldSelection.Of("id", "created_time");

    public static void Write(Utf8JsonWriter writer, MessageData message, IReadOnlyList<FieldSelection> fields)
    {
        writer.WriteStartObject();
        var wroteId = false;
        foreach (var field in fields)
        {
            // Past the 20 newest, a listing still shows each message, but only what every listing has (our choice).
            if (!message.HasDetails && field.Name is not ("id" or "created_time"))
            {
                continue;
            }
            switch (field.Name)
            {
                case "id": writer.WriteString("id", message.Id); wroteId = true; break;
                case "created_time": writer.WriteTimestamp("created_time", message.CreatedTime); break;
                case "from":
                    writer.WritePropertyName("from");
                    ParticipantJson.Write(writer, message.From, field.Children);
                    break;
                case "to": ParticipantJson.WriteList(writer, "to", message.To, field.Children); break;
                case "message": writer.WriteString("message", message.Text); break;
                case "sticker": writer.WriteStringUnlessNull("sticker", message.Sticker); break;
                case "attachments" when message.Attachments.Count > 0: AttachmentJson.WriteList(writer, message.Attachments, field.Children); break;
                case "tags" when message.Tags.Count > 0: WriteTags(writer, message.Tags); break;
                case "reply_to" when message.ReplyTo is { } reply: WriteReplyTo(writer, reply, field.Children); break;
                case "is_unsupported" when message.IsUnsupported: writer.WriteBoolean("is_unsupported", true); break;
            }
        }
        if (!wroteId)
        {
            writer.WriteString("id", message.Id);
        }
        writer.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter writer, IReadOnlyList<string> tags)
    {
        writer.WriteStartObject("tags");
        writer.WriteStartArray("data");
        foreach (var tag in tags)
        {
            writer.WriteStartObject();
            writer.WriteString("name", tag);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteReplyTo(Utf8JsonWriter writer, ReplyData reply, IReadOnlyList<FieldSelection>? fields)
    {
        writer.WriteStartObject("reply_to");
        if (fields is null || fields.Any(f => f.Name == "mid"))
        {
            writer.WriteString("mid", reply.MessageId);
        }
        if (fields is null || fields.Any(f => f.Name == "is_self_reply"))
        {
            writer.WriteBoolean("is_self_reply", reply.IsSelfReply);
        }
        writer.WriteEndObject();
    }
}
