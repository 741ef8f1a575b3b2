namespace Gateway.Paging;

/// <summary>A HotChocolate-shaped connection over items of one Graph API page.</summary>
public sealed record Connection<T>(IReadOnlyList<Edge<T>> Edges, PageInfo PageInfo)
{
    public IEnumerable<T> Nodes => Edges.Select(edge => edge.Node);
}

public sealed record Edge<T>(T Node, ConnectionCursor Cursor);

/// <summary>A page's place in its list; the cursors as clients see them (a Graph position, or an archive keyset).</summary>
public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);
