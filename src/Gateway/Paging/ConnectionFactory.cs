using MetaGraph;

namespace Gateway.Paging;

public static class ConnectionFactory
{
    /// <summary>Cuts the client's window out of one Graph API page and gives every edge its cursor and position.</summary>
    public static Connection<TNode> FromMetaPage<TItem, TNode>(
        IReadOnlyList<TItem> metaItems, GraphPaging? paging, ConnectionArguments arguments, MetaPageRequest request,
        Func<TItem, int, TNode> toNode)
    {
        var count = metaItems.Count;
        int start, end;
        if (arguments.IsBackward)
        {
            end = Math.Max(0, count - request.Drop);
            start = Math.Max(0, end - arguments.Count);
        }
        else
        {
            start = Math.Min(request.Skip, count);
            end = Math.Min(count, start + arguments.Count);
        }

        var firstPosition = arguments.FirstMetaPosition(count);
        var edges = new Edge<TNode>[end - start];
        for (var index = start; index < end; index++)
        {
            var position = firstPosition + index;
            var cursor = ConnectionCursor.ForItem(position, index, count, paging?.Cursors?.Before, paging?.Cursors?.After);
            edges[index - start] = new Edge<TNode>(toNode(metaItems[index], position), cursor);
        }

        var hasNextPage = arguments.IsBackward || end < count || paging?.HasNext == true;
        var hasPreviousPage = edges.Length > 0 ? edges[0].Cursor.Position > 0 : arguments.After is not null;
        return new Connection<TNode>(edges, new PageInfo(hasNextPage, hasPreviousPage,
            edges.Length > 0 ? edges[0].Cursor.Encode() : null, edges.Length > 0 ? edges[^1].Cursor.Encode() : null));
    }
}
