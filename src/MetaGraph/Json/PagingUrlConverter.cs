using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaGraph.Json;

/// <summary>Reads <c>paging.next</c>/<c>previous</c> without the credentials Graph echoes in them.</summary>
internal sealed class PagingUrlConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.GetString() is { } url ? SecretFreeUrl.Strip(url) : null;

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
