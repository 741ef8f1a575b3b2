using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaGraph.Json;

/// <summary>Graph's timestamps, <c>2022-07-12T19:11:07+0000</c> (no colon in the offset), read exactly and written back
/// the same way. ISO 8601 with a colon offset, <c>Z</c> or fractional seconds is accepted too.</summary>
internal sealed class GraphTimestampConverter : JsonConverter<DateTimeOffset>
{
    // 'K' accepts +0000, +00:00 and Z; ".FFFFFFF" makes the fraction (and its dot) optional.
    private const string ReadFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String
            || !DateTimeOffset.TryParseExact(reader.GetString(), ReadFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw new JsonException("Expected a Graph API timestamp such as 2022-07-12T19:11:07+0000.");
        }
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        => writer.WriteStringValue(Format(value));

    public static string Format(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture,
            $"{value:yyyy-MM-dd'T'HH:mm:ss}{sign}{offset.Hours:00}{offset.Minutes:00}");
    }
}
