using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gateway.Benchmarks;

/// <summary>
/// Answers from different servers made comparable: Relay global ids (base64 of <c>Type:metaId</c>, since the gateway
/// took them up) read back as Meta's ids, so that a build from before them answers the same; and, for a peer, cursors
/// reduced to whether there is one, since every server writes its own opaque cursors.
/// </summary>
public static partial class Answers
{
    private static readonly string[] CursorFields = ["cursor", "endCursor", "startCursor"];

    /// <summary>The answer's <c>data</c> as JSON, normalised as above.</summary>
    public static string Comparable(string data, bool ignoreCursors)
    {
        var json = JsonNode.Parse(data)!;
        Normalise(json, ignoreCursors);
        return json.ToJsonString();
    }

    /// <summary>Fails the run unless <paramref name="answer"/> is the same as <paramref name="reference"/>'s.</summary>
    public static void RequireSame(string referenceName, string reference, string name, string answer, bool ignoreCursors)
    {
        if (Comparable(reference, ignoreCursors) != Comparable(answer, ignoreCursors))
        {
            throw new InvalidOperationException($"{name} answers differently from {referenceName}:\n{answer[..Math.Min(600, answer.Length)]}\n…against\n{reference[..Math.Min(600, reference.Length)]}");
        }
    }

    private static void Normalise(JsonNode? node, bool ignoreCursors)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Normalise(item, ignoreCursors);
            }
        }
        else if (node is JsonObject json)
        {
            foreach (var (name, value) in json.ToList())
            {
                if (value is JsonValue scalar && scalar.TryGetValue<string>(out var text))
                {
                    json[name] = name == "id" ? MetaId(text) : ignoreCursors && CursorFields.Contains(name) ? "(a cursor)" : text;
                }
                else
                {
                    Normalise(value, ignoreCursors);
                }
            }
        }
    }

    private static string MetaId(string id)
    {
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(id.Length)];
        return Convert.TryFromBase64String(id, bytes, out var length) && GlobalId().Match(Encoding.UTF8.GetString(bytes, 0, length)) is { Success: true } match
            ? match.Groups["meta"].Value
            : id;
    }

    [GeneratedRegex("^[A-Z][A-Za-z]*:(?<meta>.+)$")]
    private static partial Regex GlobalId();
}
