using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Gateway.Api;

/// <summary>
/// Relay global ids in HotChocolate's style: base64 of <c>TypeName:metaId</c>, e.g. <c>Page:104000000000001</c>. A Page
/// and the Participant that is that Page share Meta's id but not their global id, so a normalized cache keeps them apart.
/// Arguments take either form: an id that decodes to one of <see cref="NodeTypes"/> followed by a colon is a global id,
/// anything else is Meta's own (Meta's base64-looking Instagram ids decode to binary, never to these type names).
/// </summary>
public static class GlobalIds
{
    public const string Page = "Page";
    public const string Conversation = "Conversation";
    public const string Message = "Message";
    public const string Participant = "Participant";

    public static readonly IReadOnlyList<string> NodeTypes = [Page, Conversation, Message, Participant];

    /// <summary>Long enough for any id <see cref="NodeIds"/> accepts, with the longest type name.</summary>
    private const int MaxLength = 512;

    /// <summary>The global id as a string (arguments, tests); an answer carries <see cref="GlobalId"/>s instead.</summary>
    public static string Encode(string typeName, string metaId)
    {
        var length = TextLength(typeName, metaId);
        Span<byte> text = length <= 1024 ? stackalloc byte[length] : new byte[length];
        return Convert.ToBase64String(Text(typeName, metaId, text));
    }

    /// <summary>Room for <c>TypeName:metaId</c> in UTF-8.</summary>
    internal static int TextLength(string typeName, string metaId) => typeName.Length + 1 + Encoding.UTF8.GetMaxByteCount(metaId.Length);

    /// <summary><c>TypeName:metaId</c> in UTF-8, written into <paramref name="buffer"/>.</summary>
    internal static ReadOnlySpan<byte> Text(string typeName, string metaId, Span<byte> buffer)
    {
        var written = Encoding.UTF8.GetBytes(typeName, buffer);
        buffer[written++] = (byte)':';
        written += Encoding.UTF8.GetBytes(metaId, buffer[written..]);
        return buffer[..written];
    }

    /// <summary>The type and Meta's id inside a global id; false for anything else (such as Meta's own ids). The inner id
    /// is not validated here.</summary>
    public static bool TryDecode(string id, out string typeName, out string metaId)
    {
        typeName = metaId = "";
        if (id.Length is 0 or > MaxLength)
        {
            return false;
        }
        // Standard base64 as HotChocolate writes it; the URL-safe alphabet and missing padding are accepted too.
        var standard = id.Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + (4 - standard.Length % 4) % 4, '=');
        var bytes = new byte[standard.Length];
        if (!Convert.TryFromBase64String(standard, bytes, out var written))
        {
            return false;
        }
        // Checked before decoding: Meta's numeric ids are valid base64 of bytes that are not UTF-8, and an exception per id
        // was a measurable share of a read's CPU.
        if (!Utf8.IsValid(bytes.AsSpan(0, written)))
        {
            return false;
        }
        var text = Encoding.UTF8.GetString(bytes, 0, written);
        var colon = text.IndexOf(':');
        if (colon <= 0 || !NodeTypes.Contains(text[..colon]))
        {
            return false;
        }
        typeName = text[..colon];
        metaId = text[(colon + 1)..];
        return true;
    }

    /// <summary>Meta's id from an argument that takes either the global id of a <paramref name="typeName"/> or Meta's id,
    /// validated by shape before it can reach a URL.</summary>
    public static string MetaIdOf(string id, string typeName, string argument = "id")
    {
        if (!TryDecode(id, out var type, out var metaId))
        {
            return NodeIds.Validate(id, argument);
        }
        if (type != typeName)
        {
            throw new GatewayError("INVALID_ID", $"`{argument}` is the global id of a {type}, not of a {typeName}.",
                new Dictionary<string, object?> { ["argument"] = argument });
        }
        return NodeIds.Validate(metaId, argument);
    }
}

/// <summary>A global id in an answer: base64 written straight into the response while it is serialized (see
/// <see cref="ITextLeaf"/>).</summary>
public sealed class GlobalId(string typeName, string metaId) : ITextLeaf
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        var length = GlobalIds.TextLength(typeName, metaId);
        Span<byte> text = length <= 1024 ? stackalloc byte[length] : new byte[length];
        writer.WriteBase64StringValue(GlobalIds.Text(typeName, metaId, text));
    }

    public override string ToString() => GlobalIds.Encode(typeName, metaId);
}
