using System.Text.Json;
using Gateway.Inbox;
using MetaGraph;

namespace Gateway.Webhooks;

/// <summary>
/// Reads Meta's webhook body, <c>{"object":"page"|"instagram","entry":[{"id","time","messaging":[...]}]}</c>, into
/// inbox events. Events of kinds the gateway does not publish (deliveries, postbacks, edits, other objects' changes) are
/// reported to the <c>ignored</c> callback by kind and dropped.
/// </summary>
public static class WebhookPayload
{
    public static List<InboxEvent> Parse(ReadOnlyMemory<byte> body, Func<string, string> pageOfInstagramAccount, Action<string> ignored)
    {
        var events = new List<InboxEvent>();
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var platform = String(root, "object") switch
        {
            "page" => Platform.Messenger,
            "instagram" => Platform.Instagram,
            var other => (Platform?)null,
        };
        if (platform is null || !root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            ignored("object:" + (String(root, "object") ?? "none"));
            return events;
        }
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || String(entry, "id") is not { } accountId)
            {
                ignored("entry-without-id");
                continue;
            }
            var pageId = platform == Platform.Instagram ? pageOfInstagramAccount(accountId) : accountId;
            if (entry.TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Array)
            {
                foreach (var change in changes.EnumerateArray())
                {
                    ignored("changes:" + (String(change, "field") ?? "unknown"));
                }
            }
            if (!entry.TryGetProperty("messaging", out var messaging) || messaging.ValueKind != JsonValueKind.Array)
            {
                continue;
            }
            foreach (var item in messaging.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && Read(item, pageId, platform.Value) is { } inboxEvent)
                {
                    events.Add(inboxEvent);
                }
                else
                {
                    ignored(KindOf(item));
                }
            }
        }
        return events;
    }

    private static InboxEvent? Read(JsonElement item, string pageId, Platform platform)
    {
        var sender = Id(item, "sender");
        var recipient = Id(item, "recipient");
        if (sender is null || recipient is null || Milliseconds(item, "timestamp") is not { } milliseconds)
        {
            return null;
        }
        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        if (item.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object && String(message, "mid") is { } mid)
        {
            var isEcho = message.TryGetProperty("is_echo", out var echo) && echo.ValueKind == JsonValueKind.True;
            var isDeleted = message.TryGetProperty("is_deleted", out var deleted) && deleted.ValueKind == JsonValueKind.True;
            var kind = isDeleted ? InboxEventKind.Deleted : isEcho ? InboxEventKind.Echo : InboxEventKind.New;
            var replyTo = message.TryGetProperty("reply_to", out var reply) && reply.ValueKind == JsonValueKind.Object ? String(reply, "mid") : null;
            var content = new WebhookMessage(mid, sender, recipient, String(message, "text"), Attachments(message), replyTo,
                isEcho ? String(message, "metadata") : null);
            // An echo is sent by the Page: the person is its recipient.
            return new InboxEvent(kind, pageId, platform, isEcho ? recipient : sender, timestamp, content);
        }
        if (item.TryGetProperty("read", out var read) && read.ValueKind == JsonValueKind.Object)
        {
            var watermark = Milliseconds(read, "watermark") is { } mark ? DateTimeOffset.FromUnixTimeMilliseconds(mark) : timestamp;
            return new InboxEvent(InboxEventKind.Read, pageId, platform, sender, timestamp, Watermark: watermark);
        }
        if (item.TryGetProperty("reaction", out var reaction) && reaction.ValueKind == JsonValueKind.Object && String(reaction, "mid") is { } reactedMid)
        {
            var action = String(reaction, "action") == "unreact" ? ReactionAction.Unreact : ReactionAction.React;
            return new InboxEvent(InboxEventKind.Reaction, pageId, platform, sender, timestamp,
                Reaction: new WebhookReaction(reactedMid, action, String(reaction, "reaction"), String(reaction, "emoji")));
        }
        return null;
    }

    /// <summary>Meta's attachment <c>{"type":"image","payload":{"url"}}</c> as the Graph API model the schema reads.</summary>
    private static IReadOnlyList<Attachment> Attachments(JsonElement message)
    {
        if (!message.TryGetProperty("attachments", out var attachments) || attachments.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        var list = new List<Attachment>();
        foreach (var attachment in attachments.EnumerateArray())
        {
            var url = attachment.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object ? String(payload, "url") : null;
            list.Add(WebhookMessage.AttachmentOf(String(attachment, "type"), url));
        }
        return list;
    }

    private static string KindOf(JsonElement item)
    {
        if (item.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in item.EnumerateObject())
            {
                if (property.Name is not ("sender" or "recipient" or "timestamp"))
                {
                    return property.Name;
                }
            }
        }
        return "unknown";
    }

    /// <summary>Epoch milliseconds, within the range a date can hold.</summary>
    private static long? Milliseconds(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var ms)
           && ms >= 0 && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? ms
            : null;

    private static string? Id(JsonElement item, string name)
        => item.TryGetProperty(name, out var party) && party.ValueKind == JsonValueKind.Object ? String(party, "id") : null;

    private static string? String(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
