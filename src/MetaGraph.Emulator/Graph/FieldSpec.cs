namespace MetaGraph.Emulator.Graph;

/// <summary>One field of a <c>fields=</c> expansion: <c>name.limit(n).after(c).before(c){children}</c>.</summary>
public sealed record FieldSpec(string Name, IReadOnlyList<FieldSpec>? Children, int? Limit, string? After, string? Before)
{
    private const int MaxLength = 4096;
    private const int MaxDepth = 5;

    public static IReadOnlyList<FieldSpec> Parse(string? text, params string[] defaults)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaults.Select(name => new FieldSpec(name, null, null, null, null)).ToList();
        }
        if (text.Length > MaxLength)
        {
            throw GraphError.InvalidParameter($"(#100) The fields parameter is too long: at most {MaxLength} characters.");
        }
        var position = 0;
        var fields = ParseList(text, ref position, 1);
        SkipSpace(text, ref position);
        if (position != text.Length)
        {
            throw Syntax(text, position);
        }
        return fields;
    }

    private static List<FieldSpec> ParseList(string text, ref int position, int depth)
    {
        if (depth > MaxDepth)
        {
            throw GraphError.InvalidParameter($"(#100) Field expansion is nested too deeply: at most {MaxDepth} levels.");
        }
        var fields = new List<FieldSpec>();
        do
        {
            SkipSpace(text, ref position);
            fields.Add(ParseField(text, ref position, depth));
            SkipSpace(text, ref position);
        }
        while (position < text.Length && text[position] == ',' && ++position > 0);
        return fields;
    }

    private static FieldSpec ParseField(string text, ref int position, int depth)
    {
        var name = ReadName(text, ref position);
        int? limit = null;
        string? after = null, before = null;
        while (position < text.Length && text[position] == '.')
        {
            position++;
            var modifier = ReadName(text, ref position);
            Expect(text, ref position, '(');
            var start = position;
            while (position < text.Length && text[position] != ')')
            {
                position++;
            }
            var argument = text[start..position];
            Expect(text, ref position, ')');
            switch (modifier)
            {
                case "limit" when int.TryParse(argument, out var value) && value >= 0:
                    limit = value;
                    break;
                case "after":
                    after = argument;
                    break;
                case "before":
                    before = argument;
                    break;
                default:
                    throw GraphError.InvalidParameter($"(#100) Invalid field modifier '{modifier}({argument})'");
            }
        }
        SkipSpace(text, ref position);
        List<FieldSpec>? children = null;
        if (position < text.Length && text[position] == '{')
        {
            position++;
            children = ParseList(text, ref position, depth + 1);
            Expect(text, ref position, '}');
        }
        return new FieldSpec(name, children, limit, after, before);
    }

    private static string ReadName(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '_'))
        {
            position++;
        }
        return position > start ? text[start..position] : throw Syntax(text, position);
    }

    private static void Expect(string text, ref int position, char expected)
    {
        SkipSpace(text, ref position);
        if (position >= text.Length || text[position] != expected)
        {
            throw Syntax(text, position);
        }
        position++;
    }

    private static void SkipSpace(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private static GraphError Syntax(string text, int position)
        => GraphError.InvalidParameter($"(#100) Syntax error \"Expected end of string instead of \"{(position < text.Length ? text[position] : ' ')}\".\" at character {position}: {(text.Length > 80 ? text[..80] + "..." : text)}");
}
