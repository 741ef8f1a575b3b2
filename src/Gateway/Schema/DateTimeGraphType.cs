using System.Globalization;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Gateway.Schema;

/// <summary>HotChocolate's <c>DateTime</c> scalar: an ISO-8601 instant with offset, e.g. <c>2022-07-12T19:11:07.000Z</c>.</summary>
public sealed class IsoDateTimeGraphType : ScalarGraphType
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffK";

    public IsoDateTimeGraphType()
    {
        Name = "DateTime";
        Description = "An ISO-8601 date and time with offset (RFC 3339), e.g. `2022-07-12T19:11:07.000Z`.";
    }

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        DateTimeOffset offset => offset.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture),
        DateTime dateTime => dateTime.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture),
        _ => ThrowSerializationError(value),
    };

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
