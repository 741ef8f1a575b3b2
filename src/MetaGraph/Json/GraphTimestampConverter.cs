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
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && TryReadGraphForm(reader.ValueSpan, out var graphForm))
        {
            return graphForm;
        }
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

    /// <summary>Graph's own form, <c>yyyy-MM-ddTHH:mm:ss±hhmm</c>, read digit by digit: an inbox page carries a hundred
    /// timestamps, and the general parser was a tenth of the cost of reading one. Anything else (or out of range) is
    /// left to the general parser.</summary>
    internal static bool TryReadGraphForm(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || text[19] is not ((byte)'+' or (byte)'-')
            || !TryReadDigits(text.Slice(0, 4), out var year) || !TryReadDigits(text.Slice(5, 2), out var month)
            || !TryReadDigits(text.Slice(8, 2), out var day) || !TryReadDigits(text.Slice(11, 2), out var hour)
            || !TryReadDigits(text.Slice(14, 2), out var minute) || !TryReadDigits(text.Slice(17, 2), out var second)
            || !TryReadDigits(text.Slice(20, 2), out var offsetHours) || !TryReadDigits(text.Slice(22, 2), out var offsetMinutes))
        {
            return false;
        }
        // Years at the ends of DateTimeOffset's range could overflow in UTC; the general parser handles them.
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59 || offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 14 * 60)
        {
            return false;
        }
        var offset = new TimeSpan(offsetHours, offsetMinutes, 0);
        value = new DateTimeOffset(year, month, day, hour, minute, second, text[19] == '-' ? -offset : offset);
        return true;
    }

    private static bool TryReadDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
            value = value * 10 + (digit - '0');
        }
        return true;
    }
}
