using MetaGraph;

namespace Gateway.Archive;

public enum InboxSyncState
{
    /// <summary>A run holds (or held, until its lease expired) the lease; a new claim resumes where it stopped.</summary>
    Running,
    /// <summary>The last run listed every conversation; a new claim starts a fresh run.</summary>
    Completed,
    /// <summary>The last run stopped on an error; a new claim resumes from its cursor.</summary>
    Failed,
}

/// <summary>Where the inbox sync of a Page's platform stands.</summary>
/// <param name="ListingCursor">Meta's <c>after</c> cursor of the conversations listing to resume from (Meta's cursors expire:
/// a sync that finds it refused starts the listing again, and skips what it already archived).</param>
public sealed record InboxSyncCheckpoint(
    string PageId,
    Platform Platform,
    InboxSyncState State,
    string? ListingCursor,
    int ConversationsListed,
    int ConversationsSynced,
    int ConversationsUnchanged,
    long MessagesArchived,
    long CallsUsed,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? LastError,
    DateTimeOffset? LeaseExpiresAt);

/// <summary>
/// The right to run one Page's platform sync, held until <see cref="InboxSyncCheckpoint.LeaseExpiresAt"/>; every write
/// through it renews it. Another instance can claim the sync once the lease has expired, and then this one's writes fail
/// with <see cref="InboxSyncLeaseLostException"/>.
/// </summary>
/// <param name="Checkpoint">The checkpoint as it was claimed: where to resume.</param>
public sealed record InboxSyncLease(string PageId, Platform Platform, string Token, TimeSpan Duration, InboxSyncCheckpoint Checkpoint);

/// <summary>What a sync did since its last report; counts are added to the checkpoint's.</summary>
/// <param name="ListingCursor">The listing's cursor to resume after (null: from the start).</param>
public sealed record InboxSyncProgress(string? ListingCursor, int ConversationsListed = 0, int ConversationsUnchanged = 0, int CallsUsed = 0);

/// <summary>A conversation as the listing gives it: its id and <c>updated_time</c>.</summary>
public sealed record ListedConversation(string Id, DateTimeOffset UpdatedTime);

/// <summary>The lease was taken over (it had expired) or released: this run must stop, another one goes on.</summary>
public sealed class InboxSyncLeaseLostException(string pageId, Platform platform)
    : Exception($"The inbox sync of Page {pageId} ({platform}) is no longer held by this run.");
