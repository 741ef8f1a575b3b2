using Gateway.Projection;
using GraphQL.Types;

namespace Gateway.Api;

/// <summary>Relay's Global Object Identification: <c>interface Node { id: ID! }</c>.</summary>
public sealed class NodeInterfaceType : InterfaceGraphType
{
    public NodeInterfaceType()
    {
        Name = "Node";
        Description = "An object with a global id, read back with `node(id:)` (Relay Global Object Identification).";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id: opaque and unique across types.");
    }
}

public static class NodeFields
{
    /// <summary>Implements <c>Node</c>: <c>id</c> is the global id of <paramref name="metaId"/>, and <c>metaId</c> Meta's
    /// own, which webhooks and other systems use.</summary>
    public static void ImplementsNode<TSource>(this ObjectGraphType<TSource> type, Func<TSource, string> metaId, string metaIdDescription)
    {
        var typeName = type.Name;
        type.Interface<NodeInterfaceType>();
        type.Field<NonNullGraphType<IdGraphType>>("id")
            .Description($"The global id: opaque and unique across types (`node(id:)` reads it back). Arguments that take this {typeName}'s id accept it or `metaId`.")
            .ReadsGraph("id").Resolve(context => new GlobalId(typeName, metaId(context.Source)));
        type.Field<NonNullGraphType<IdGraphType>>("metaId").Description(metaIdDescription).ReadsGraph("id").Resolve(context => metaId(context.Source));
    }
}

/// <summary>The representation a federation router sends for an entity keyed by <c>id</c> or by <c>metaId</c>.</summary>
public sealed class NodeReference
{
    public string? Id { get; set; }

    public string? MetaId { get; set; }

    /// <summary>Meta's id, from whichever key the router used (a global <c>id</c> or a Meta id given as <c>id</c> work too).</summary>
    public string MetaIdOf(string typeName) => Id is not null
        ? GlobalIds.MetaIdOf(Id, typeName)
        : NodeIds.Validate(MetaId ?? "", "metaId");
}
