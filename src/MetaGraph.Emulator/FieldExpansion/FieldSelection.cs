using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using MetaGraph.Emulator.Errors;

namespace MetaGraph.Emulator.FieldExpansion;

/// <summary>One field of a <c>fields=</c> expansion: <c>name.limit(n).after(c).before(c){children}</c>.</summary>
internal sealed record FieldSelection(string Name, IReadOnlyList<FieldSelection>? Children = null, int? Limit = null,
    string? After = null, string? Before = null)
{
    public const int MaxLength = 4096;
    public const int MaxDepth = 5;

    private const int MaxCachedSelections = 1024;

    // Clients repeat the same few field lists; parsing each once keeps hot paths allocation-light.
    private static readonly ConcurrentDictionary<string, IReadOnlyList<FieldSelection>> Parsed = new(StringComparer.Ordinal);

    /// <summary>The parsed list, or null when <paramref name="text"/> names no field.</summary>
    public static IReadOnlyList<FieldSelection>? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (Parsed.TryGetValue(text, out var cached))
        {
            return cached;
        }
        if (text.Length > MaxLength)
        {
            throw GraphErrors.InvalidParameter($"(#100) The fields parameter is too long: at most {MaxLength} characters");
        }
        var parser = new Parser(text);
        var fields = parser.List(depth: 1);
        parser.End();
        if (fields.Count == 0)
        {
            return null;
        }
        if (Parsed.Count < MaxCachedSelections)
        {
            Parsed.TryAdd(text, fields);
        }
        return fields;
    }

    public static IReadOnlyList<FieldSelection> Of(params string[] names) => names.Select(name => new FieldSelection(name)).ToArray();

    /// <summary>The list back in <c>fields=</c> syntax, for paging links of nested edges.</summary>
    public static string Format(IReadOnlyList<FieldSelection> fields) => Append(new StringBuilder(), fields).ToString();

    private static StringBuilder Append(StringBuilder builder, IReadOnlyList<FieldSelection> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            builder.Append(i == 0 ? "" : ",").Append(field.Name);
            if (field.Limit is { } limit)
            {
                builder.Append(".limit(").Append(limit.ToString(CultureInfo.InvariantCulture)).Append(')');
            }
            if (field.After is not null)
            {
                builder.Append(".after(").Append(field.After).Append(')');
            }
            if (field.Before is not null)
            {
                builder.Append(".before(").Append(field.Before).Append(')');
            }
            if (field.Children is not null)
            {
                Append(builder.Append('{'), field.Children).Append('}');
            }
        }
        return builder;
    }

    private ref struct Parser(string text)
    {
        private int _position;

        public List<FieldSelection> List(int depth)
        {
            if (depth > MaxDepth)
            {
                throw GraphErrors.InvalidParameter($"(#100) Field expansion is nested too deeply: at most {MaxDepth} levels");
            }
            var fields = new List<FieldSelection>();
            while (true)
            {
                SkipSpace();
                if (_position < text.Length && IsNameChar(text[_position]))
                {
                    var field = Field(depth);
                    // A repeated field is read once, as Graph does.
                    if (!fields.Exists(f => f.Name == field.Name))
                    {
                        fields.Add(field);
                    }
                    SkipSpace();
                }
                if (_position < text.Length && text[_position] == ',')
                {
                    _position++;
                    continue;
                }
                return fields;
            }
        }

        public void End()
        {
            SkipSpace();
            if (_position != text.Length)
            {
                throw Syntax();
            }
        }

        private FieldSelection Field(int depth)
        {
            var name = Name();
            int? limit = null;
            string? after = null, before = null;
            while (Peek('.'))
            {
                _position++;
                var modifier = Name();
                Expect('(');
                var start = _position;
                while (_position < text.Length && text[_position] is not (')' or '(' or '{' or '}' or ','))
                {
                    _position++;
                }
                var argument = text[start.._position].Trim();
                Expect(')');
                switch (modifier)
                {
                    case "limit" when int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var value):
                        limit = value;
                        break;
                    case "after" when argument.Length > 0:
                        after = argument;
                        break;
                    case "before" when argument.Length > 0:
                        before = argument;
                        break;
                    default:
                        throw GraphErrors.InvalidParameter($"(#100) Invalid modifier for field {name}: {modifier}({argument})");
                }
            }
            SkipSpace();
            List<FieldSelection>? children = null;
            if (Peek('{'))
            {
                _position++;
                children = List(depth + 1);
                Expect('}');
                if (children.Count == 0)
                {
                    throw Syntax();
                }
            }
            return new FieldSelection(name, children, limit, after, before);
        }

        private string Name()
        {
            SkipSpace();
            var start = _position;
            while (_position < text.Length && IsNameChar(text[_position]))
            {
                _position++;
            }
            return _position > start ? text[start.._position] : throw Syntax();
        }

        private void Expect(char expected)
        {
            SkipSpace();
            if (!Peek(expected))
            {
                throw Syntax();
            }
            _position++;
        }

        private readonly bool Peek(char expected) => _position < text.Length && text[_position] == expected;

        private void SkipSpace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

        private readonly GraphError Syntax()
        {
            var found = _position < text.Length ? $"\"{text[_position]}\"" : "end of string";
            var shown = text.Length > 100 ? text[..100] + "..." : text;
            return new GraphError(400, 2500, $"Syntax error \"Unexpected {found}.\" at character {_position}: {shown}");
        }
    }
}
