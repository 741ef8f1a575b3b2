using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MetaGraph.Emulator.Graph;

internal static class GraphJson
{
    public const string ContentType = "application/json; charset=UTF-8";

    /// <summary>Unicode stays readable and the <c>+</c> of timestamps is not escaped; clients must accept either form anyway.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Graph's timestamp format, <c>2022-07-12T19:11:07+0000</c>.</summary>
    public static void WriteTimestamp(this Utf8JsonWriter writer, string name, DateTimeOffset time)
    {
        Span<char> text = stackalloc char[24];
        time.UtcDateTime.TryFormat(text, out var length, "yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);
        writer.WriteString(name, text[..length]);
    }

    public static void WriteStringUnlessNull(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
