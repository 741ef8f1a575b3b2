using System.Text.Json;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.FieldExpansion;
using MetaGraph.Emulator.Paging;

namespace MetaGraph.Emulator.Graph;

/// <summary>A Conversation node; an expanded <c>messages</c> edge comes back as a page with its own paging.</summary>
internal static class ConversationJson
{
    public static void Write(Utf8JsonWriter writer, ConversationData conversation, IReadOnlyList<FieldSelection> fields, GraphRequest request)
    {
        var messenger = conversation.Platform == InboxPlatform.Messenger;
        writer.WriteStartObject();
        var wroteId = false;
        foreach (var field in fields)
        {
            switch (field.Name)
            {
                case "id": writer.WriteString("id", conversation.Id); wroteId = true; break;
                case "updated_time": writer.WriteTimestamp("updated_time", conversation.UpdatedTime); break;
                case "message_count": writer.WriteNumber("message_count", conversation.MessageCount); break;
                case "unread_count": writer.WriteNumber("unread_count", conversation.UnreadCount); break;
                case "snippet" when conversation.Snippet.Length > 0: writer.WriteString("snippet", conversation.Snippet); break;
                case "can_reply": writer.WriteBoolean("can_reply", conversation.Availability == PersonAvailability.Available); break;
                case "is_subscribed": writer.WriteBoolean("is_subscribed", true); break;
                case "link" when messenger: writer.WriteString("link", $"/{conversation.PageId}/inbox/{ThreadNumber(conversation.Id)}/"); break;
                case "folder": writer.WriteString("folder", conversation.Folder); break;
                case "scoped_thread_key" when messenger: writer.WriteString("scoped_thread_key", conversation.Id); break;
                case "participants" or "senders": ParticipantJson.WriteList(writer, field.Name, conversation.Participants, field.Children); break;
                case "former_participants": ParticipantJson.WriteList(writer, field.Name, [], field.Children); break;
                case "messages":
                    writer.WritePropertyName("messages");
                    MessagesEdge.Write(writer, conversation, field.Children ?? MessageJson.DefaultFields,
                        Math.Min(field.Limit ?? PageWindow.DefaultLimit, request.Options.MaxMessagesLimit), field.After, field.Before,
                        new EdgeLink(request, conversation.Id, "messages", Nested: true, field.Children));
                    break;
            }
        }
        if (!wroteId)
        {
            writer.WriteString("id", conversation.Id);
        }
        writer.WriteEndObject();
    }

    /// <summary>The numeric thread id of Meta's inbox link, which is not the <c>t_</c> id the API uses.</summary>
    private static ulong ThreadNumber(string conversationId) => 100_000_000_000_000UL + MessageExtras.StableHash(conversationId) % 899_999_999_999_999UL;
}
