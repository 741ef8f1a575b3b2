using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaGraph.Json;

/// <summary>Reads <c>paging.next</c>/<c>previous</c> without the credentials Graph echoes in them.</summary>
internal sealed class PagingUrlConverter : JsonConverter<string>
{
    /// <summary>Copied out and stripped before it becomes a string: the token Graph echoes never becomes a string.</summary>
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("A paging URL is a string.");
        }
        // The escaped UTF-8 is at least as long as the text it holds.
        var buffer = ArrayPool<char>.Shared.Rent(checked((int)(reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length)));
        try
        {
            return SecretFreeUrl.Strip(buffer.AsSpan(0, reader.CopyString(buffer)));
        }
        finally
        {
            // The token was in it.
            ArrayPool<char>.Shared.Return(buffer, clearArray: true);
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
