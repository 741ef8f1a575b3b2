using Gateway.Archive.Search;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Archive;

public sealed partial class MessageArchive
{
    /// <summary>
    /// Full-text search over the caller's Pages, most relevant first, then newest; deleted and purged messages are never
    /// found. A query with nothing to search for (no letter or digit) finds nothing. Whatever the query holds, it is read
    /// as the search language of <see cref="MessageSearchRequest.Query"/> and never as database syntax.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="MessageSearchRequest.After"/> is not a cursor of this archive.</exception>
    public async Task<ArchivePage<MessageSearchHit>> SearchAsync(MessageSearchRequest request, CancellationToken cancellationToken = default)
    {
        var size = PageSize(request.First);
        var after = request.After is null ? null : ArchiveCursor.Decode(request.After);
        var terms = SearchQuery.Parse(request.Query);
        if (terms.Count == 0 || request.PageIds.Count == 0)
        {
            return new ArchivePage<MessageSearchHit>([], false);
        }
        await using var context = database.CreateContext();
        await context.Database.OpenConnectionAsync(cancellationToken);
        var hits = await context.Dialect.Search.FindAsync(context.Database.GetDbConnection(), terms, request, after, size + 1, cancellationToken);
        return Page(hits, size, hit => new ArchiveEdge<MessageSearchHit>(
            new MessageSearchHit(hit.MessageId, hit.ConversationId, hit.PageId, hit.Platform, hit.CreatedTime, hit.Snippet),
            new ArchiveCursor(hit.Score, hit.CreatedTime, hit.MessageId).Encode()));
    }
}
