using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaGraph.Json;

/// <summary>Untyped results (<see cref="JsonElement"/>, batch item bodies) get the same treatment as typed ones:
/// <c>paging.next</c>/<c>previous</c> at any depth lose their credentials. JSON without such URLs is returned as parsed.</summary>
internal sealed class SecretFreeJsonElementConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => WithoutSecrets(JsonElement.ParseValue(ref reader));

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

    public static JsonElement WithoutSecrets(JsonElement element)
    {
        if (!HasSecretPagingUrl(element, inPaging: false))
        {
            return element;
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteWithoutSecrets(writer, element, inPaging: false);
        }
        return JsonElement.Parse(buffer.WrittenSpan);
    }

    private static bool IsPagingUrl(JsonProperty property, bool inPaging)
        => inPaging && property.Value.ValueKind == JsonValueKind.String && property.Name is "next" or "previous";

    private static bool HasSecretPagingUrl(JsonElement element, bool inPaging) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Any(p => IsPagingUrl(p, inPaging)
            ? SecretFreeUrl.HasSecrets(p.Value.GetString()!)
            : HasSecretPagingUrl(p.Value, p.NameEquals("paging"))),
        JsonValueKind.Array => element.EnumerateArray().Any(item => HasSecretPagingUrl(item, inPaging: false)),
        _ => false,
    };

    private static void WriteWithoutSecrets(Utf8JsonWriter writer, JsonElement element, bool inPaging)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    if (IsPagingUrl(property, inPaging))
                    {
                        writer.WriteString(property.Name, SecretFreeUrl.Strip(property.Value.GetString()!));
                        continue;
                    }
                    writer.WritePropertyName(property.Name);
                    WriteWithoutSecrets(writer, property.Value, property.NameEquals("paging"));
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteWithoutSecrets(writer, item, inPaging: false);
                }
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
