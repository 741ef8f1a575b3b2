using Gateway.Archive.Storage;
using MetaGraph;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Gateway.Archive;

public sealed partial class MessageArchive
{
    /// <summary>A completed checkpoint starts the next run from zero; a failed or abandoned one is resumed.</summary>
    private static readonly string[] ResetOnNewRun =
        ["listing_cursor", "conversations_listed", "conversations_synced", "conversations_unchanged", "messages_archived", "calls_used", "started_at"];

    /// <summary>One statement decides the claim, so two instances claiming together cannot both win: the row is written
    /// only when nobody holds a live lease.</summary>
    private static readonly string ClaimSql = $"""
        INSERT INTO inbox_sync_checkpoints (page_id, platform, state, listing_cursor, conversations_listed, conversations_synced,
            conversations_unchanged, messages_archived, calls_used, started_at, lease_owner, lease_expires_at)
        VALUES (@page_id, @platform, 'running', NULL, 0, 0, 0, 0, 0, @now, @owner, @expires)
        ON CONFLICT (page_id, platform) DO UPDATE SET
            {string.Join(", ", ResetOnNewRun.Select(column =>
                $"{column} = CASE WHEN inbox_sync_checkpoints.state = 'completed' THEN excluded.{column} ELSE inbox_sync_checkpoints.{column} END"))},
            state = 'running', finished_at = NULL, last_error = NULL,
            lease_owner = excluded.lease_owner, lease_expires_at = excluded.lease_expires_at
        WHERE inbox_sync_checkpoints.lease_owner IS NULL OR inbox_sync_checkpoints.lease_expires_at <= excluded.started_at
        RETURNING 1
        """;

    private const string SyncedConversationUpsertSql = """
        INSERT INTO inbox_sync_conversations (page_id, platform, conversation_id, updated_time, synced_at)
        VALUES (@page_id, @platform, @conversation_id, @updated_time, @now)
        ON CONFLICT (page_id, platform, conversation_id) DO UPDATE SET updated_time = excluded.updated_time, synced_at = excluded.synced_at
        """;

    /// <summary>
    /// Takes the sync of a Page's platform for <paramref name="leaseDuration"/> unless a run holds a live lease on it, on
    /// this instance or another sharing the database.
    /// </summary>
    /// <returns>The lease, or null when another run holds the sync.</returns>
    public async Task<InboxSyncLease?> TryClaimSyncAsync(string pageId, Platform platform, TimeSpan leaseDuration,
        CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var token = Guid.NewGuid().ToString("N");
        await using var context = database.CreateContext();
        var dialect = context.Dialect;
        await context.Database.OpenConnectionAsync(cancellationToken);
        await using var claim = SqlRows.Command(context.Database.GetDbConnection(), ClaimSql, ("@page_id", pageId),
            ("@platform", ArchiveColumns.Platform(platform)), ("@now", dialect.Time(now)), ("@owner", token),
            ("@expires", dialect.Time(now + leaseDuration)));
        if (await claim.ExecuteScalarAsync(cancellationToken) is null)
        {
            return null;
        }
        var checkpoint = await GetSyncCheckpointAsync(pageId, platform, cancellationToken);
        return new InboxSyncLease(pageId, platform, token, leaseDuration, checkpoint!);
    }

    public async Task<InboxSyncCheckpoint?> GetSyncCheckpointAsync(string pageId, Platform platform, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var row = await context.SyncCheckpoints.AsNoTracking()
            .SingleOrDefaultAsync(checkpoint => checkpoint.PageId == pageId && checkpoint.Platform == platform, cancellationToken);
        return row is null ? null : new InboxSyncCheckpoint(row.PageId, row.Platform, row.State, row.ListingCursor, row.ConversationsListed,
            row.ConversationsSynced, row.ConversationsUnchanged, row.MessagesArchived, row.CallsUsed, row.StartedAt, row.FinishedAt,
            row.LastError, row.LeaseExpiresAt);
    }

    /// <summary>Of the conversations a listing page gave, those the sync must read: never archived by a sync, or whose
    /// <c>updated_time</c> has moved since.</summary>
    public async Task<IReadOnlyList<ListedConversation>> ConversationsToSyncAsync(string pageId, Platform platform,
        IReadOnlyCollection<ListedConversation> listed, CancellationToken cancellationToken = default)
    {
        var ids = listed.Select(conversation => conversation.Id).ToList();
        await using var context = database.CreateContext();
        var synced = await context.SyncedConversations.AsNoTracking()
            .Where(row => row.PageId == pageId && row.Platform == platform && ids.Contains(row.ConversationId))
            .ToDictionaryAsync(row => row.ConversationId, row => row.UpdatedTime, cancellationToken);
        return [.. listed.Where(conversation => !synced.TryGetValue(conversation.Id, out var updated)
                                                || conversation.UpdatedTime.ToUnixTimeMilliseconds() > updated.ToUnixTimeMilliseconds())];
    }

    /// <summary>Extends the lease by its duration from now.</summary>
    /// <exception cref="InboxSyncLeaseLostException">Another run holds the sync now.</exception>
    public Task RenewSyncLeaseAsync(InboxSyncLease lease, CancellationToken cancellationToken = default)
        => UpdateHeldAsync(lease, _ => { }, cancellationToken);

    /// <summary>Saves the listing cursor and adds the counts; renews the lease.</summary>
    /// <exception cref="InboxSyncLeaseLostException">Another run holds the sync now.</exception>
    public Task SaveSyncProgressAsync(InboxSyncLease lease, InboxSyncProgress progress, CancellationToken cancellationToken = default)
        => UpdateHeldAsync(lease, checkpoint => checkpoint
            .SetProperty(row => row.ListingCursor, progress.ListingCursor)
            .SetProperty(row => row.ConversationsListed, row => row.ConversationsListed + progress.ConversationsListed)
            .SetProperty(row => row.ConversationsUnchanged, row => row.ConversationsUnchanged + progress.ConversationsUnchanged)
            .SetProperty(row => row.CallsUsed, row => row.CallsUsed + progress.CallsUsed), cancellationToken);

    /// <summary>Records a conversation as archived at its <c>updated_time</c> (a later run skips it until that moves) and
    /// adds its messages to the count, atomically with the lease check; renews the lease.</summary>
    /// <exception cref="InboxSyncLeaseLostException">Another run holds the sync now; nothing is recorded.</exception>
    public Task MarkConversationSyncedAsync(InboxSyncLease lease, ListedConversation conversation, int messagesArchived,
        CancellationToken cancellationToken = default)
        => WriteAsync(async (context, transaction) =>
        {
            var dialect = context.Dialect;
            await SqlRows.ExecuteAsync(transaction, SyncedConversationUpsertSql, ["@page_id", "@platform", "@conversation_id", "@updated_time", "@now"],
                [[lease.PageId, ArchiveColumns.Platform(lease.Platform), conversation.Id, dialect.Time(conversation.UpdatedTime), dialect.Time(time.GetUtcNow())]],
                cancellationToken);
            await UpdateHeldAsync(context, lease, checkpoint => checkpoint
                .SetProperty(row => row.ConversationsSynced, row => row.ConversationsSynced + 1)
                .SetProperty(row => row.MessagesArchived, row => row.MessagesArchived + messagesArchived), cancellationToken);
        }, cancellationToken);

    /// <summary>Ends the run as completed and releases the lease; the next claim starts a fresh run.</summary>
    /// <exception cref="InboxSyncLeaseLostException">Another run holds the sync now.</exception>
    public Task CompleteSyncAsync(InboxSyncLease lease, CancellationToken cancellationToken = default)
        => EndAsync(lease, InboxSyncState.Completed, null, cancellationToken);

    /// <summary>Ends the run as failed and releases the lease; the next claim resumes from the saved cursor.
    /// <paramref name="error"/> is stored as given: pass a message that holds no token.</summary>
    /// <exception cref="InboxSyncLeaseLostException">Another run holds the sync now.</exception>
    public Task FailSyncAsync(InboxSyncLease lease, string error, CancellationToken cancellationToken = default)
        => EndAsync(lease, InboxSyncState.Failed, error.Length > 2000 ? error[..2000] : error, cancellationToken);

    private Task EndAsync(InboxSyncLease lease, InboxSyncState state, string? error, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return UpdateHeldAsync(lease, checkpoint =>
        {
            checkpoint.SetProperty(row => row.State, state).SetProperty(row => row.FinishedAt, now).SetProperty(row => row.LastError, error)
                .SetProperty(row => row.LeaseOwner, (string?)null);
            if (state == InboxSyncState.Completed)
            {
                checkpoint.SetProperty(row => row.ListingCursor, (string?)null);
            }
        }, cancellationToken, releases: true);
    }

    private async Task UpdateHeldAsync(InboxSyncLease lease, Action<UpdateSettersBuilder<SyncCheckpointRow>> update,
        CancellationToken cancellationToken, bool releases = false)
    {
        await using var context = database.CreateContext();
        await UpdateHeldAsync(context, lease, update, cancellationToken, releases);
    }

    /// <summary>Applies <paramref name="update"/>, only while the lease is held and live, and renews the lease (or, when
    /// the update <paramref name="releases"/> it, clears its expiry).</summary>
    private async Task UpdateHeldAsync(ArchiveContext context, InboxSyncLease lease, Action<UpdateSettersBuilder<SyncCheckpointRow>> update,
        CancellationToken cancellationToken, bool releases = false)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? expires = releases ? null : now + lease.Duration;
        var updated = await context.SyncCheckpoints
            .Where(row => row.PageId == lease.PageId && row.Platform == lease.Platform && row.LeaseOwner == lease.Token && row.LeaseExpiresAt > now)
            .ExecuteUpdateAsync(checkpoint =>
            {
                checkpoint.SetProperty(row => row.LeaseExpiresAt, expires);
                update(checkpoint);
            }, cancellationToken);
        if (updated == 0)
        {
            throw new InboxSyncLeaseLostException(lease.PageId, lease.Platform);
        }
    }
}
