using Gateway.Api;
using Gateway.Caching;
using Gateway.Upstream;
using MetaGraph;

namespace Gateway.Archive.Reads;

/// <summary>A message as the archive holds it for a reader.</summary>
/// <param name="OlderThanWindow">The archive holds at least <see cref="MetaGraphClient.MessagesWithDetails"/> newer messages of its
/// conversation: Meta gives its details no more (asked for by <c>withAge</c> only).</param>
public sealed record ArchivedCopy(ArchivedMessage Message, bool OlderThanWindow);

/// <summary>
/// The archive as one access token sees it, exactly as Graph would: only the messages of the Page the token belongs to,
/// never an unsent one; and what the token's reads give, handed to the <see cref="GraphReadArchiver"/>. When the database
/// does not answer (within <see cref="ReadTimeout"/>), reads find nothing: the gateway serves what Meta gives.
/// </summary>
public sealed partial class PageArchive(MessageArchive archive, GraphReadArchiver reads, TokenPages pages, string accessToken, ResponseFreshness freshness,
    ILogger logger)
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The messages of these ids the archive holds for the token's Page, unsent ones left out.</summary>
    /// <param name="withAge">Also tell which are older than their conversation's <see cref="MetaGraphClient.MessagesWithDetails"/> (one more query).</param>
    public async Task<IReadOnlyDictionary<string, ArchivedCopy>> ReadAsync(IReadOnlyCollection<string> ids, bool withAge, CancellationToken cancellationToken)
    {
        freshness.Untracked();
        var pageId = (await pages.PageOfAsync(accessToken, cancellationToken)).PageId;
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(ReadTimeout);
        try
        {
            var held = (await archive.GetMessagesAsync(ids, patience.Token)).Values.Select(stored => stored.Message)
                .Where(message => message.PageId == pageId && !message.Deleted).ToList();
            var older = withAge && held.Count > 0
                ? await archive.OlderThanRecentAsync([.. held.Select(message => message.Id)], MetaGraphClient.MessagesWithDetails, patience.Token)
                : new HashSet<string>();
            return held.ToDictionary(message => message.Id, message => new ArchivedCopy(message, older.Contains(message.Id)), StringComparer.Ordinal);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested
                                      && (ArchiveDatabase.IsUnavailable(error) || error is OperationCanceledException))
        {
            // Only a database that is gone makes its pooled connections useless; a slow one keeps them.
            if (error is not OperationCanceledException)
            {
                archive.ForgetConnections();
            }
            Log.Unavailable(logger, error.GetType().Name);
            return new Dictionary<string, ArchivedCopy>();
        }
    }

    /// <summary>Fails unless the token is <paramref name="pageId"/>'s own: what the archive holds of a Page is read with that
    /// Page's token only, as Graph reads it. The token's Page is learnt once (<c>GET /me</c>, no Conversations API call).</summary>
    public async Task EnsurePageAsync(string pageId, CancellationToken cancellationToken)
    {
        TokenPage owner;
        try
        {
            owner = await pages.PageOfAsync(accessToken, cancellationToken);
        }
        catch (GraphApiException error)
        {
            throw GatewayError.FromGraph(error);
        }
        if (owner.PageId != pageId)
        {
            throw new GatewayError("META_PERMISSION_DENIED", $"The access token is not Page {pageId}'s: send that Page's token.");
        }
    }

    /// <summary>Full-text search of the token's Page's messages (<see cref="MessageArchive.SearchAsync"/>); a request naming
    /// any other Page fails as <see cref="EnsurePageAsync"/> does.</summary>
    public async Task<ArchivePage<MessageSearchHit>> SearchAsync(MessageSearchRequest request, CancellationToken cancellationToken)
    {
        freshness.Untracked();
        foreach (var pageId in request.PageIds)
        {
            await EnsurePageAsync(pageId, cancellationToken);
        }
        return await archive.SearchAsync(request, cancellationToken);
    }

    /// <summary>Conversations a read with the token gave.</summary>
    public void Record(IEnumerable<Conversation> conversations)
    {
        if (PageId() is { } pageId)
        {
            reads.Offer(pageId, conversations);
        }
    }

    /// <summary>Messages with details a read of the conversation with the token gave, asked with <paramref name="asked"/>.</summary>
    public void Record(string conversationId, IEnumerable<Message> messages, FieldList asked)
    {
        if (PageId() is { } pageId)
        {
            reads.Offer(pageId, conversationId, messages, asked);
        }
    }

    /// <summary>The token's Page, known once Graph answered a read made with it (which is when there is anything to record).</summary>
    private string? PageId()
    {
        var page = pages.PageOfAsync(accessToken, CancellationToken.None);
        if (page.IsCompletedSuccessfully)
        {
            return page.Result.PageId;
        }
        // Forgotten since (past TokenPages' memory): the lookup goes on and is remembered for the next read.
        _ = page.AsTask();
        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The message archive's database did not answer ({Error}): messages past Meta's 20 most recent are served without details.")]
        public static partial void Unavailable(ILogger logger, string error);
    }
}

/// <summary>Makes the <see cref="PageArchive"/> of each access token a request reads with.</summary>
public sealed class PageArchives(MessageArchive archive, GraphReadArchiver reads, TokenPages pages, ILogger<PageArchive> logger)
{
    /// <param name="freshness">The request's: what the archive answers is told to it, so that the response is not kept.</param>
    public PageArchive For(string accessToken, ResponseFreshness freshness) => new(archive, reads, pages, accessToken, freshness, logger);

    /// <summary>What a field that needs the archive (message search, inbox sync) answers when the gateway keeps none.</summary>
    public static GatewayError NotConfigured() => new("ARCHIVE_NOT_CONFIGURED",
        "This gateway keeps no message archive, which searching messages and syncing inboxes need: set `ConnectionStrings:Archive` (SQLite `Data Source=archive.db`, or a PostgreSQL connection string).");
}
