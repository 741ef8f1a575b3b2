using System.Text.Json.Nodes;
using MetaGraph.Emulator.Data;

namespace MetaGraph.Emulator.Live;

/// <summary>The app that sent a Page's message with the Send API, and the <c>metadata</c> it gave: both come back in the echo.</summary>
internal sealed record SentWithApi(long AppId, string? Metadata);

/// <summary>A sticker as a webhook names it: Meta's persistent sticker id and the image.</summary>
internal sealed record StickerInput(long Id, string Url);

/// <summary>The <c>message</c> of a webhook event, as Meta's webhook references show it (Messenger <c>messages</c> and
/// <c>message_echoes</c>, Instagram <c>messages</c>, story mentions).</summary>
internal static class MessageEvents
{
    /// <summary><c>{"mid","text","attachments":[{"type","payload":{"url"}}],"reply_to","is_echo","app_id","metadata"}</c> with what
    /// the message has: a sticker as a <c>sticker</c> attachment with its <c>sticker_id</c> (the only form Meta sends after
    /// August 30, 2026), an Instagram story mention as a <c>story_mention</c> attachment, a story reply as
    /// <c>reply_to.story{url,id}</c>, and a message the API cannot show as <c>is_unsupported</c>.</summary>
    public static JsonObject Message(MessageData message, StickerInput? sticker, bool echo, SentWithApi? app)
    {
        var json = new JsonObject { ["mid"] = message.Id };
        if (message.Text.Length > 0)
        {
            json["text"] = message.Text;
        }
        var attachments = new JsonArray([.. message.Attachments.Select(a => Attachment(a.Kind.ToString().ToLowerInvariant(), new JsonObject { ["url"] = a.Url }))]);
        if (sticker is not null)
        {
            attachments.Add(Attachment("sticker", new JsonObject { ["url"] = sticker.Url, ["sticker_id"] = sticker.Id }));
        }
        if (message.Story is { Kind: StoryKind.Mention } mention)
        {
            attachments.Add(Attachment("story_mention", new JsonObject { ["url"] = mention.Link }));
        }
        if (attachments.Count > 0)
        {
            json["attachments"] = attachments;
        }
        if (message.ReplyTo is { } reply)
        {
            json["reply_to"] = new JsonObject { ["mid"] = reply.MessageId, ["is_self_reply"] = reply.IsSelfReply };
        }
        else if (message.Story is { Kind: StoryKind.ReplyTo } story)
        {
            json["reply_to"] = new JsonObject { ["story"] = new JsonObject { ["url"] = story.Link, ["id"] = story.Id } };
        }
        if (message.IsUnsupported)
        {
            json["is_unsupported"] = true;
        }
        if (echo)
        {
            json["is_echo"] = true;
        }
        if (app is not null)
        {
            json["app_id"] = app.AppId;
            if (app.Metadata is not null)
            {
                json["metadata"] = app.Metadata;
            }
        }
        return json;
    }

    private static JsonObject Attachment(string type, JsonObject payload) => new() { ["type"] = type, ["payload"] = payload };
}
