using System.Text;
using System.Text.Json;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Errors;

namespace MetaGraph.Emulator.Send;

/// <summary>Reads a Send API call's parameters (form fields, a JSON body or the query string) into a <see cref="SendRequest"/>,
/// refusing what Meta refuses with Meta's code, subcode and words where they are known (the Messenger Platform's common error
/// codes and answers recorded by SDK tests; the rest in the same style, our choice).</summary>
internal static class SendParameters
{
    public const int MaxTextLength = 2000;
    public const int MaxMetadataLength = 1000;

    public static readonly string[] MessagingTypes = ["RESPONSE", "UPDATE", "MESSAGE_TAG"];
    public static readonly string[] SenderActions = ["mark_seen", "typing_on", "typing_off", "react", "unreact"];
    private static readonly string[] AttachmentTypes = ["image", "video", "audio", "file"];
    private static readonly string[] MessageKeys = ["text", "attachment", "quick_replies", "metadata"];

    public static SendRequest Parse(IQueryCollection parameters)
    {
        var recipient = ObjectOf(parameters, "recipient") ?? throw Required("recipient");
        var message = ObjectOf(parameters, "message");
        var action = StringOf(parameters, "sender_action");
        return (message, action) switch
        {
            ({ }, { }) => throw new GraphError(400, 100, "(#100) Cannot send both message and state at the same time.", subcode: 2018014),
            (null, null) => throw new GraphError(400, 100, "(#100) Must send either message or state", subcode: 2018015),
            ({ } content, null) => new SendRequest(RecipientOf(recipient), MessageOf(content, parameters), null),
            (null, { } name) => new SendRequest(RecipientOf(recipient), null, ActionOf(name, parameters)),
        };
    }

    private static string RecipientOf(JsonElement recipient)
    {
        if (recipient.EnumerateObject().Any(p => p.Name != "id"))
        {
            throw GraphErrors.InvalidParameter("(#100) This emulator sends to recipient.id (a PSID or IGSID) only");
        }
        return recipient.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number && id.ToString().Length > 0
            ? id.ToString()
            : throw Required("recipient[id]");
    }

    private static OutgoingMessage MessageOf(JsonElement message, IQueryCollection parameters)
    {
        if (message.EnumerateObject().Select(p => p.Name).Where(k => !MessageKeys.Contains(k)).ToList() is { Count: > 0 } unknown)
        {
            throw GraphErrors.InvalidParameter($"(#100) Invalid keys \"{string.Join(", ", unknown)}\" were found in param \"message\".");
        }
        var text = message.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var attachment = message.TryGetProperty("attachment", out var a) && a.ValueKind == JsonValueKind.Object ? AttachmentOf(a) : null;
        if (text is { Length: > 0 } && attachment is not null)
        {
            throw new GraphError(400, 100, "(#100) Only one of the text, attachment, and dynamic_text fields can be specified", subcode: 2018191);
        }
        if (string.IsNullOrEmpty(text) && attachment is null)
        {
            throw new GraphError(400, 100, "(#100) Message cannot be empty, must provide valid attachment or text", subcode: 2018034);
        }
        if (text?.Length > MaxTextLength)
        {
            throw GraphErrors.InvalidParameter($"(#100) Length of param message[text] must be less than or equal to {MaxTextLength}");
        }
        var metadata = message.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (metadata?.Length > MaxMetadataLength)
        {
            throw GraphErrors.InvalidParameter($"(#100) Length of param message[metadata] must be less than or equal to {MaxMetadataLength}");
        }
        var messagingType = OneOf("messaging_type", StringOf(parameters, "messaging_type") ?? throw Required("messaging_type"), MessagingTypes);
        var tag = messagingType == "MESSAGE_TAG"
            ? OneOf("tag", StringOf(parameters, "tag") ?? throw Required("tag"), MessagingWindow.Tags)
            : null;
        var replyTo = ObjectOf(parameters, "reply_to") is { } reply
            ? reply.TryGetProperty("mid", out var mid) && mid.ValueKind == JsonValueKind.String ? mid.GetString() : throw Required("reply_to[mid]")
            : null;
        return new OutgoingMessage(messagingType, tag, string.IsNullOrEmpty(text) ? null : text, attachment, replyTo, metadata);
    }

    private static OutgoingAttachment AttachmentOf(JsonElement attachment)
    {
        var type = attachment.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : throw Required("message[attachment][type]");
        var kind = Enum.Parse<AttachmentKind>(OneOf("message[attachment][type]", type, AttachmentTypes), ignoreCase: true);
        if (!attachment.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            throw Required("message[attachment][payload]");
        }
        if (!payload.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String || !Uri.IsWellFormedUriString(url.GetString(), UriKind.Absolute))
        {
            throw Required("message[attachment][payload][url]");
        }
        var reusable = payload.TryGetProperty("is_reusable", out var r) && (r.ValueKind == JsonValueKind.True || r.ToString() == "true");
        return new OutgoingAttachment(kind, url.GetString()!, reusable);
    }

    private static SenderAction ActionOf(string name, IQueryCollection parameters)
    {
        var action = OneOf("sender_action", name, SenderActions);
        if (action is not ("react" or "unreact"))
        {
            return new SenderAction(action, null, null);
        }
        var payload = ObjectOf(parameters, "payload") ?? throw Required("payload");
        var messageId = payload.TryGetProperty("message_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : throw Required("payload[message_id]");
        if (action == "unreact")
        {
            return new SenderAction(action, messageId, null);
        }
        var reaction = payload.TryGetProperty("reaction", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : throw Required("payload[reaction]");
        return new SenderAction(action, messageId, OneOf("payload[reaction]", reaction, [.. Live.LiveInbox.ReactionNames]));
    }

    /// <summary>The value as the enum spells it (Graph takes enum parameters in any case), or Meta's enum refusal.</summary>
    private static string OneOf(string name, string value, string[] allowed)
        => allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase))
            ?? throw GraphErrors.InvalidParameter(
                $"(#100) param {name} must be one of {{{string.Join(", ", allowed.Select(a => a.ToUpperInvariant()))}}} - got \"{value}\"");

    private static string? StringOf(IQueryCollection parameters, string name)
        => parameters.TryGetValue(name, out var value) && value.ToString() is { Length: > 0 } text ? text : null;

    /// <summary>An object parameter: a JSON object, as a form field, a JSON body property or in the single-quoted form Meta's own
    /// reference uses (<c>recipient={'id':'…'}</c>).</summary>
    private static JsonElement? ObjectOf(IQueryCollection parameters, string name)
    {
        if (StringOf(parameters, name) is not { } text)
        {
            return null;
        }
        foreach (var candidate in (string[])[text, DoubleQuoted(text)])
        {
            try
            {
                using var document = JsonDocument.Parse(candidate);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    return document.RootElement.Clone();
                }
            }
            catch (JsonException)
            {
                // Not JSON as it stands: the single-quoted form is tried next.
            }
        }
        throw GraphErrors.InvalidParameter($"(#100) param {name} must be a JSON object");
    }

    /// <summary>Single-quoted strings as JSON's double-quoted ones.</summary>
    private static string DoubleQuoted(string text)
    {
        var json = new StringBuilder(text.Length);
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is null)
            {
                quote = c is '\'' or '"' ? c : null;
                json.Append(c == '\'' ? '"' : c);
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                var next = text[++i];
                json.Append(next == '\'' ? "'" : $"\\{next}");
            }
            else if (c == quote)
            {
                json.Append('"');
                quote = null;
            }
            else
            {
                json.Append(c == '"' ? "\\\"" : c.ToString());
            }
        }
        return json.ToString();
    }

    private static GraphError Required(string name) => GraphErrors.InvalidParameter($"(#100) The parameter {name} is required");
}
