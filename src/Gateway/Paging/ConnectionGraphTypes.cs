using GraphQL.Builders;
using GraphQL.Types;

namespace Gateway.Paging;

/// <summary>HotChocolate's connection shape: <c>{ pageInfo edges { cursor node } nodes }</c>.</summary>
public abstract class ConnectionGraphType<TNodeType, TEdgeType, TNode> : ObjectGraphType<Connection<TNode>>
    where TNodeType : IGraphType
    where TEdgeType : IGraphType
{
    protected ConnectionGraphType(string name, string itemDescription)
    {
        Name = name;
        Description = $"A connection to a list of {itemDescription}.";
        this.AddConnectionFields<Connection<TNode>, TNodeType, TEdgeType>(c => c.PageInfo, c => c.Edges, c => c.Nodes);
    }
}

public abstract class EdgeGraphType<TNodeType, TNode> : ObjectGraphType<Edge<TNode>> where TNodeType : IGraphType
{
    protected EdgeGraphType(string name, string itemDescription)
    {
        Name = name;
        Description = $"An edge in a connection of {itemDescription}.";
        this.AddEdgeFields<Edge<TNode>, TNodeType>(c => c.Cursor, c => c.Node);
    }
}

public sealed class PageInfoType : ObjectGraphType<PageInfo>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Description = "Information about pagination in a connection.";
        Field<NonNullGraphType<BooleanGraphType>>("hasNextPage").Description("Indicates whether more edges exist following the set defined by the clients arguments.")
            .Resolve(c => c.Source.HasNextPage);
        Field<NonNullGraphType<BooleanGraphType>>("hasPreviousPage").Description("Indicates whether more edges exist prior the set defined by the clients arguments.")
            .Resolve(c => c.Source.HasPreviousPage);
        Field<StringGraphType>("startCursor").Description("When paginating backwards, the cursor to continue.").Resolve(c => c.Source.StartCursor);
        Field<StringGraphType>("endCursor").Description("When paginating forwards, the cursor to continue.").Resolve(c => c.Source.EndCursor);
    }
}

/// <summary>HotChocolate's connection and edge fields, for any source that holds them: Graph pages
/// (<see cref="Connection{T}"/>) and the archive's keyset pages alike.</summary>
public static class ConnectionFields
{
    public static void AddConnectionFields<TSource, TNodeType, TEdgeType>(this ObjectGraphType<TSource> type,
        Func<TSource, PageInfo> pageInfo, Func<TSource, object?> edges, Func<TSource, object?> nodes)
        where TNodeType : IGraphType
        where TEdgeType : IGraphType
    {
        type.Field<NonNullGraphType<PageInfoType>>("pageInfo").Description("Information to aid in pagination.").Resolve(c => pageInfo(c.Source));
        type.Field<ListGraphType<NonNullGraphType<TEdgeType>>>("edges").Description("A list of edges.").Resolve(c => edges(c.Source));
        type.Field<ListGraphType<NonNullGraphType<TNodeType>>>("nodes").Description("A flattened list of the nodes.").Resolve(c => nodes(c.Source));
    }

    /// <param name="cursor">The edge's cursor: a string, or an <see cref="Api.ITextLeaf"/> that writes one.</param>
    public static void AddEdgeFields<TSource, TNodeType>(this ObjectGraphType<TSource> type, Func<TSource, object> cursor, Func<TSource, object?> node)
        where TNodeType : IGraphType
    {
        type.Field<NonNullGraphType<StringGraphType>>("cursor").Description("A cursor for use in pagination.").Resolve(c => cursor(c.Source));
        type.Field<NonNullGraphType<TNodeType>>("node").Description("The item at the end of the edge.").Resolve(c => node(c.Source));
    }
}

public static class ConnectionFieldArguments
{
    /// <summary>Adds <c>first/after/last/before</c> with HotChocolate's descriptions.</summary>
    public static FieldBuilder<TSource, TReturn> WithConnectionArguments<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field)
        => field
            .Argument<IntGraphType>("first", $"Returns the first _n_ elements from the list (default {ConnectionSize.Default}, at most {ConnectionSize.Max}).")
            .Argument<StringGraphType>("after", "Returns the elements in the list that come after the specified cursor.")
            .Argument<IntGraphType>("last", $"Returns the last _n_ elements from the list, before `before` (at most {ConnectionSize.Max}).")
            .Argument<StringGraphType>("before", "Returns the elements in the list that come before the specified cursor.");
}
