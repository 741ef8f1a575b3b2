using System.Text;

namespace MetaGraph;

/// <summary>
/// Graph API field expansion, built instead of concatenated: <c>id,updated_time,messages.limit(20){id,created_time}</c>.
/// Immutable; duplicate fields are kept once (a later edge with the same name replaces the earlier one).
/// </summary>
public sealed class FieldList : IEquatable<FieldList>
{
    private readonly IReadOnlyList<FieldNode> _fields;
    private string? _rendered;

    private FieldList(IReadOnlyList<FieldNode> fields) => _fields = fields;

    public static FieldList Empty { get; } = new([]);

    public static FieldList Of(params IEnumerable<string> names)
    {
        var list = Empty;
        foreach (var name in names)
        {
            list = list.Add(name);
        }
        return list;
    }

    public bool IsEmpty => _fields.Count == 0;

    public IEnumerable<string> Names => _fields.Select(f => f.Name);

    public bool Contains(string name) => _fields.Any(f => f.Name == name);

    /// <summary>Adds a scalar or object field.</summary>
    public FieldList Add(string name) => Contains(name) ? this : With(new FieldNode(ValidName(name), null, null, null, null));

    /// <summary>Adds an edge with its own fields and modifiers: <c>name.limit(n).after(c){children}</c>.</summary>
    public FieldList AddEdge(string name, FieldList? children = null, int? limit = null, string? after = null, string? before = null)
    {
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), "An edge limit cannot be negative.");
        }
        return With(new FieldNode(ValidName(name), children is { IsEmpty: false } ? children : null, limit,
            ValidCursor(after), ValidCursor(before)));
    }

    public override string ToString() => _rendered ??= Render();

    public bool Equals(FieldList? other) => other is not null && ToString() == other.ToString();

    public override bool Equals(object? obj) => Equals(obj as FieldList);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    private FieldList With(FieldNode node)
    {
        var fields = new List<FieldNode>(_fields.Count + 1);
        fields.AddRange(_fields.Where(f => f.Name != node.Name));
        fields.Add(node);
        return new FieldList(fields);
    }

    private string Render()
    {
        var builder = new StringBuilder();
        AppendTo(builder);
        return builder.ToString();
    }

    private void AppendTo(StringBuilder builder)
    {
        for (var i = 0; i < _fields.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }
            var field = _fields[i];
            builder.Append(field.Name);
            if (field.Limit is { } limit)
            {
                builder.Append(".limit(").Append(limit).Append(')');
            }
            if (field.After is { } after)
            {
                builder.Append(".after(").Append(after).Append(')');
            }
            if (field.Before is { } before)
            {
                builder.Append(".before(").Append(before).Append(')');
            }
            if (field.Children is { } children)
            {
                builder.Append('{');
                children.AppendTo(builder);
                builder.Append('}');
            }
        }
    }

    private static string ValidName(string name)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            throw new ArgumentException($"'{name}' is not a Graph API field name.", nameof(name));
        }
        return name;
    }

    // Cursors are opaque base64-like strings; anything that could break the expansion syntax is refused.
    private static string? ValidCursor(string? cursor)
    {
        if (cursor is not null && cursor.Any(c => c is '(' or ')' or '{' or '}' or ',' or '&' or ' '))
        {
            throw new ArgumentException("The cursor contains characters that cannot appear in field expansion.", nameof(cursor));
        }
        return cursor;
    }

    private sealed record FieldNode(string Name, FieldList? Children, int? Limit, string? After, string? Before);
}
