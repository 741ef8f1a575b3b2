using System.Collections.Concurrent;
using System.Collections.Frozen;
using GraphQL.Types;
using GraphQLParser.AST;
using MetaGraph;

namespace Gateway.Projection;

/// <summary>
/// The Graph fields that a GraphQL object type's <see cref="GraphMapping"/>s name, in declaration order and numbered, so a
/// selection becomes a bit set: cheap to union and compare in loader keys, and always rendered in the same order, so the
/// same selection written two ways is the same <c>fields=</c>.
/// </summary>
public sealed class GraphFieldCatalog
{
    private static readonly ConcurrentDictionary<Type, GraphFieldCatalog> Catalogs = new();

    private readonly List<(string Name, FieldList? Children)> _fields = [];
    private readonly List<string> _profileFields = [];
    private readonly FrozenDictionary<string, ulong> _fieldMasks;
    private readonly FrozenDictionary<string, ulong> _profileMasks;
    // Bounded: at most 2^n entries for a type with n mapped Graph fields (Message: 13), and each caller passes one prefix.
    private readonly ConcurrentDictionary<(FieldList Prefix, ulong Mask), FieldList> _rendered = new();

    private GraphFieldCatalog(IComplexGraphType type)
    {
        var fieldMasks = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var profileMasks = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var field in type.Fields)
        {
            if (GraphMapping.Of(field) is not { } mapping)
            {
                continue;
            }
            FieldList? children = mapping.Expand ? For(NamedType(field.Type!)).All : null;
            fieldMasks[field.Name] = mapping.Edge ? 0 : mapping.Fields.Aggregate(0UL, (mask, name) => mask | Bit<(string Name, FieldList? Children)>(_fields, (name, children), f => f.Name == name));
            profileMasks[field.Name] = (mapping.Profile ?? []).Aggregate(0UL, (mask, name) => mask | Bit(_profileFields, name, f => f == name));
        }
        _fieldMasks = fieldMasks.ToFrozenDictionary(StringComparer.Ordinal);
        _profileMasks = profileMasks.ToFrozenDictionary(StringComparer.Ordinal);
        All = Render(FieldList.Empty, ulong.MaxValue);
    }

    /// <summary>The catalog of a GraphQL object type, built once from a fresh instance (declarations never change at run time).</summary>
    public static GraphFieldCatalog For<TGraphType>() where TGraphType : IComplexGraphType, new() => For(typeof(TGraphType));

    public static GraphFieldCatalog For(Type graphType)
        => Catalogs.GetOrAdd(graphType, type => new GraphFieldCatalog((IComplexGraphType)Activator.CreateInstance(type)!));

    /// <summary>Every Graph field the type maps, as a parent's expansion of it: <c>id,mime_type,...,image_data</c>.</summary>
    public FieldList All { get; }

    /// <summary>The Graph fields that the selected GraphQL fields need; unknown and unmapped ones (<c>__typename</c>) need none.</summary>
    public ulong FieldsOf(IEnumerable<GraphQLField> selected)
        => selected.Aggregate(0UL, (mask, field) => mask | FieldsOf(field.Name.StringValue));

    public ulong FieldsOf(string graphQLField) => _fieldMasks.GetValueOrDefault(graphQLField);

    /// <summary>The user profile fields that a GraphQL field needs when only an id is known.</summary>
    public ulong ProfileFieldsOf(string graphQLField) => _profileMasks.GetValueOrDefault(graphQLField);

    /// <summary><paramref name="prefix"/> followed by the fields in <paramref name="mask"/>, in declaration order.</summary>
    public FieldList Render(FieldList prefix, ulong mask) => _rendered.GetOrAdd((prefix, mask), key =>
    {
        var list = key.Prefix;
        for (var i = 0; i < _fields.Count; i++)
        {
            if ((key.Mask & (1UL << i)) != 0)
            {
                var (name, children) = _fields[i];
                list = children is null ? list.Add(name) : list.AddEdge(name, children);
            }
        }
        return list;
    });

    public FieldList RenderProfile(ulong mask) => FieldList.Of(_profileFields.Where((_, i) => (mask & (1UL << i)) != 0));

    private static ulong Bit<T>(List<T> fields, T field, Predicate<T> isSame)
    {
        var index = fields.FindIndex(isSame);
        if (index < 0)
        {
            index = fields.Count;
            fields.Add(field);
        }
        return index < 64 ? 1UL << index : throw new InvalidOperationException("A GraphQL type maps more than 64 Graph fields.");
    }

    /// <summary>The object type inside list and non-null wrappers.</summary>
    private static Type NamedType(Type type)
    {
        while (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(ListGraphType<>) || type.GetGenericTypeDefinition() == typeof(NonNullGraphType<>)))
        {
            type = type.GetGenericArguments()[0];
        }
        return type;
    }
}
