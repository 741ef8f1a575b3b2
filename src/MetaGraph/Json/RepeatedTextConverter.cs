using System.Buffers;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaGraph.Json;

/// <summary>
/// Reads short strings that Graph repeats (a participant's id, name and address come with every message the person
/// sent: ten times in a conversation's page) as one instance. A small table shared by all threads remembers recent
/// values; a value found there is returned instead of a new string. A stale or overwritten slot only means a new string.
/// </summary>
public sealed class RepeatedTextConverter : JsonConverter<string>
{
    private const int MaxLength = 64;
    private static readonly string?[] Recent = new string?[1024];

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxLength)
        {
            return reader.GetString();
        }
        Span<char> text = stackalloc char[MaxLength];
        // Invalid UTF-8 is left to GetString, which refuses it as it does any string.
        if (Utf8.ToUtf16(reader.ValueSpan, text, out _, out var length, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            return reader.GetString();
        }
        text = text[..length];
        var slot = (int)((uint)string.GetHashCode(text) % (uint)Recent.Length);
        if (Volatile.Read(ref Recent[slot]) is { } known && text.SequenceEqual(known))
        {
            return known;
        }
        var value = new string(text);
        Volatile.Write(ref Recent[slot], value);
        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
