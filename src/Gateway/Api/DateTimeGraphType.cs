using System.Globalization;
using System.Text;
using System.Text.Json;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Gateway.Api;

/// <summary>HotChocolate's <c>DateTime</c> scalar: an ISO-8601 instant with offset, e.g. <c>2022-07-12T19:11:07.000Z</c>.</summary>
public sealed class IsoDateTimeGraphType : ScalarGraphType
{
    public IsoDateTimeGraphType()
    {
        Name = "DateTime";
        Description = "An ISO-8601 date and time with offset (RFC 3339), e.g. `2022-07-12T19:11:07.000Z`.";
    }

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        DateTimeOffset offset => new IsoDateTime(offset.UtcDateTime),
        DateTime dateTime => new IsoDateTime(dateTime.ToUniversalTime()),
        _ => ThrowSerializationError(value),
    };

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, written into the response (an inbox page carries a hundred of these).</summary>
    private sealed class IsoDateTime(DateTime utc) : ITextLeaf
    {
        public void WriteTo(Utf8JsonWriter writer)
        {
            Span<byte> text = stackalloc byte[24];
            Format(text);
            writer.WriteStringValue(text);
        }

        public override string ToString()
        {
            Span<byte> text = stackalloc byte[24];
            Format(text);
            return Encoding.ASCII.GetString(text);
        }

        /// <summary>From the sortable format, which .NET writes without parsing a custom pattern.</summary>
        private void Format(Span<byte> text)
        {
            utc.TryFormat(text, out _, "s", CultureInfo.InvariantCulture);
            text[19] = (byte)'.';
            utc.Millisecond.TryFormat(text[20..], out _, "000", CultureInfo.InvariantCulture);
            text[23] = (byte)'Z';
        }
    }

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string text => Parse(text),
        DateTimeOffset offset => offset,
        _ => ThrowValueConversionError(value),
    };

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLStringValue text => Parse(text.Value.ToString()),
        _ => ThrowLiteralConversionError(value),
    };

    private static DateTimeOffset Parse(string text)
        => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : throw new FormatException($"'{text}' is not an ISO-8601 date and time.");
}
