using GraphQL.Builders;
using GraphQL.Types;

namespace Gateway.Projection;

/// <summary>
/// Where a GraphQL field's data comes from in Graph API, declared next to the field (<c>.ReadsGraph("from")</c>).
/// Push-down and the loaders derive the <c>fields=</c> they send from these declarations, so a new field is one edit.
/// </summary>
/// <param name="Fields">Graph fields of the object itself that the field needs.</param>
/// <param name="Expand">The Graph field is a list of objects whose subfields come from the GraphQL field's own type.</param>
/// <param name="Edge">A connection, read by its own loader or pushed down as a nested <c>.limit(n){...}</c> expansion.</param>
/// <param name="Profile">Fields of Meta's user profile read (<c>GET /{PSID|IGSID}?fields=...</c>) that the field needs.</param>
public sealed record GraphMapping(IReadOnlyList<string> Fields, bool Expand = false, bool Edge = false, IReadOnlyList<string>? Profile = null)
{
    private const string MetadataKey = "graph.mapping";

    public static GraphMapping? Of(FieldType field) => field.GetMetadata<GraphMapping?>(MetadataKey);

    internal void Attach(FieldType field) => field.Metadata[MetadataKey] = this;
}

public static class GraphMappingExtensions
{
    /// <summary>The field is made from these Graph fields of its object.</summary>
    public static FieldBuilder<TSource, TReturn> ReadsGraph<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, params string[] graphFields)
        => field.Map(new GraphMapping(graphFields));

    /// <summary>The field is a Graph list of objects, read with every Graph field its GraphQL type maps (<c>attachments{id,...}</c>).</summary>
    public static FieldBuilder<TSource, TReturn> ReadsGraphList<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, string graphField)
        => field.Map(new GraphMapping([graphField], Expand: true));

    /// <summary>The field is a Graph edge, read page by page.</summary>
    public static FieldBuilder<TSource, TReturn> ReadsGraphEdge<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, string graphEdge)
        => field.Map(new GraphMapping([graphEdge], Edge: true));

    /// <summary>The field comes from these Graph fields where the object is listed, or from these user profile fields when
    /// only its id is known (a federation reference), or, without <paramref name="listed"/>, only from the profile.</summary>
    public static FieldBuilder<TSource, TReturn> ReadsProfile<TSource, TReturn>(
        this FieldBuilder<TSource, TReturn> field, string[] profile, params string[] listed)
        => field.Map(new GraphMapping(listed, Profile: profile));

    private static FieldBuilder<TSource, TReturn> Map<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, GraphMapping mapping)
    {
        mapping.Attach(field.FieldType);
        return field;
    }
}
