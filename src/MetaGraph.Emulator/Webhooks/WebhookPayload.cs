using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MetaGraph.Emulator.Webhooks;

/// <summary>The bytes of a webhook POST and their signatures, as Meta makes them.</summary>
internal static class WebhookPayload
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>{"object":...,"entry":[{"id","time","messaging":[event]}...]}</c>: one entry per event, as Meta sends them.</summary>
    public static byte[] Build(string objectName, IEnumerable<WebhookEvent> events)
    {
        var entries = events.Select(e => (JsonNode)new JsonObject
        {
            ["id"] = e.EntryId,
            ["time"] = e.Time,
            ["messaging"] = new JsonArray(e.Messaging.DeepClone()),
        });
        var payload = new JsonObject { ["object"] = objectName, ["entry"] = new JsonArray([.. entries]) };
        return Encoding.ASCII.GetBytes(MetaEscaped(payload.ToJsonString(Relaxed)));
    }

    /// <summary>JSON text as Meta signs it: every non-ASCII UTF-16 unit as <c>\uxxxx</c> in lowercase hex (<c>ä</c> is
    /// <c>\u00e4</c>, an emoji its surrogate pair) and <c>/</c> as <c>\/</c>. Only strings hold such characters.</summary>
    public static string MetaEscaped(string json)
    {
        var text = new StringBuilder(json.Length + 64);
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (c == '\\')
            {
                // An escape the serializer wrote: keep it, with its hex digits in lowercase.
                var next = json[++i];
                text.Append('\\').Append(next);
                if (next == 'u')
                {
                    text.Append(json.AsSpan(i + 1, 4).ToString().ToLowerInvariant());
                    i += 4;
                }
            }
            else if (c == '/')
            {
                text.Append("\\/");
            }
            else if (c > 0x7F)
            {
                text.Append("\\u").Append(((int)c).ToString("x4"));
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }

    /// <summary>The <c>X-Hub-Signature-256</c> value: <c>sha256=</c> and the hex HMAC-SHA256 of the exact bytes.</summary>
    public static string Signature256(string appSecret, byte[] body)
        => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    /// <summary>The older <c>X-Hub-Signature</c> (HMAC-SHA1) that Meta still sends alongside.</summary>
    public static string Signature1(string appSecret, byte[] body)
        => "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(appSecret), body));
}
