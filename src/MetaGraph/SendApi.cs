using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MetaGraph;

/// <summary>
/// Meta's Send API, <c>POST /{page-id}/messages</c>: the Page messages a person (by PSID or IGSID) or acts in their thread.
/// Meta's Send API is not idempotent: a request whose answer never came may have been delivered. So this client is its own
/// HttpClient pipeline that never retries (the read pipeline retries transient failures), and every failure says whether
/// the request may have taken effect (<see cref="GraphApiException.MayHaveTakenEffect"/>).
/// </summary>
public interface IMetaSendClient
{
    /// <summary>Sends a message or a sender action as <paramref name="pageId"/> (for Instagram too: Meta takes the Page's id).</summary>
    Task<GraphResponse<SendAnswer>> SendAsync(string accessToken, string pageId, SendRequest request, CancellationToken cancellationToken = default);
}

/// <summary>One Send API call to the person with <see cref="RecipientId"/>: a message, or else a sender action.</summary>
public sealed record SendRequest(string RecipientId, OutgoingMessage? Message = null, SenderAction? Action = null)
{
    /// <summary>Audio and video are priced against their own, lower allowance; everything else against the main one.</summary>
    public MetaApi Api => Message?.Attachment?.Type is AttachmentKinds.Audio or AttachmentKinds.Video ? MetaApi.SendMedia : MetaApi.Send;

    /// <summary>The call's form fields beside the credentials; object values are JSON, as Meta's reference writes them.</summary>
    public IEnumerable<KeyValuePair<string, string>> FormFields()
    {
        yield return new("recipient", new JsonObject { ["id"] = RecipientId }.ToJsonString());
        if (Message is { } message)
        {
            yield return new("messaging_type", message.Tag is null ? "RESPONSE" : "MESSAGE_TAG");
            if (message.Tag is { } tag)
            {
                yield return new("tag", tag);
            }
            yield return new("message", message.ToJson().ToJsonString());
            if (message.ReplyTo is { } replyTo)
            {
                yield return new("reply_to", new JsonObject { ["mid"] = replyTo }.ToJsonString());
            }
        }
        else if (Action is { } action)
        {
            yield return new("sender_action", action.Name);
            if (action.MessageId is { } messageId)
            {
                var payload = new JsonObject { ["message_id"] = messageId };
                if (action.Reaction is { } reaction)
                {
                    payload["reaction"] = reaction;
                }
                yield return new("payload", payload.ToJsonString());
            }
        }
    }
}

/// <summary>A message: its text or one attachment by URL, Meta's message <see cref="Tag"/> when it is sent outside the 24-hour
/// window (<c>HUMAN_AGENT</c>, …), the message it replies to, and <see cref="Metadata"/>, which only its echo carries back.</summary>
public sealed record OutgoingMessage(string? Text, OutgoingAttachment? Attachment = null, string? Tag = null, string? ReplyTo = null, string? Metadata = null)
{
    internal JsonObject ToJson()
    {
        var json = new JsonObject();
        if (Text is not null)
        {
            json["text"] = Text;
        }
        if (Attachment is { } attachment)
        {
            json["attachment"] = new JsonObject { ["type"] = attachment.Type, ["payload"] = new JsonObject { ["url"] = attachment.Url } };
        }
        if (Metadata is not null)
        {
            json["metadata"] = Metadata;
        }
        return json;
    }
}

/// <summary>A file Meta fetches from <see cref="Url"/>; <see cref="Type"/> is one of <see cref="AttachmentKinds"/>.</summary>
public sealed record OutgoingAttachment(string Type, string Url);

/// <summary>The Send API's attachment types.</summary>
public static class AttachmentKinds
{
    public const string Image = "image";
    public const string Video = "video";
    public const string Audio = "audio";
    public const string File = "file";
}

/// <summary><c>mark_seen</c>, <c>typing_on</c>, <c>typing_off</c>, or <c>react</c>/<c>unreact</c> to a message of the thread.</summary>
public sealed record SenderAction(string Name, string? MessageId = null, string? Reaction = null)
{
    public static readonly SenderAction MarkSeen = new("mark_seen");
    public static readonly SenderAction TypingOn = new("typing_on");
    public static readonly SenderAction TypingOff = new("typing_off");

    public static SenderAction React(string messageId, string reaction) => new("react", messageId, reaction);

    public static SenderAction Unreact(string messageId) => new("unreact", messageId);
}

/// <summary>Meta's answer: <c>{"recipient_id","message_id"}</c>, without a message id for a sender action.</summary>
public sealed record SendAnswer
{
    [JsonPropertyName("recipient_id"), JsonRequired] public string RecipientId { get; set; } = "";
    [JsonPropertyName("message_id")] public string? MessageId { get; set; }
}
