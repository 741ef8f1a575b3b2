using System.Globalization;
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
        DateTimeOffset offset => Format(offset.UtcDateTime),
        DateTime dateTime => Format(dateTime.ToUniversalTime()),
        _ => ThrowSerializationError(value),
    };

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.fffZ</c> from the sortable format, which .NET writes without parsing a custom
    /// pattern; an inbox page serializes a hundred of these.</summary>
    private static string Format(DateTime utc) => string.Create(24, utc, static (text, utc) =>
    {
        utc.TryFormat(text, out _, "s", CultureInfo.InvariantCulture);
        text[19] = '.';
        utc.Millisecond.TryFormat(text[20..], out _, "000", CultureInfo.InvariantCulture);
        text[23] = 'Z';
    });

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
