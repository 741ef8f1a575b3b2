using System.ComponentModel;
using Gateway.Archive;
using MetaGraph;

namespace Gateway.InboxSync;

/// <summary>Where a Page's inbox sync stands, as someone watching it sees it.</summary>
public enum SyncState
{
    [Description("A run holds the sync and is archiving conversations.")] Running,
    [Description("A run holds the sync and waits for Meta: the Page's rate limit was reached, or Meta is unavailable and the call is retried with backoff (see `lastError`). It goes on by itself.")] Paused,
    [Description("A run stopped without finishing (its instance stopped or was killed). The next start of an instance with the Page's token configured resumes it, as does `startInboxSync`, from where it stopped.")] Interrupted,
    [Description("The last run went through every conversation.")] Completed,
    [Description("The last run stopped on an error it cannot get past by itself (see `lastError`), such as a token that lost access. `startInboxSync` resumes it from where it stopped.")] Failed,
}

/// <summary>A sync's state and counts: a run's own, on the instance running it, else its checkpoint's in the archive.</summary>
/// <param name="ConversationsListed">Conversations of the listing pages the run has gone through.</param>
/// <param name="ListingEnded">The run reached the listing's end, or the part left unchanged since the previous run.</param>
public sealed record InboxSyncStatus(
    string PageId,
    Platform Platform,
    SyncState State,
    int ConversationsListed,
    int ConversationsArchived,
    int ConversationsUnchanged,
    bool ListingEnded,
    long MessagesArchived,
    long CallsUsed,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? LastError)
{
    public int? ConversationsTotal => ListingEnded ? ConversationsListed : null;

    /// <summary>A run is working on it (here or on another instance).</summary>
    public bool IsActive => State is SyncState.Running or SyncState.Paused;

    public static InboxSyncStatus Of(InboxSyncCheckpoint checkpoint, DateTimeOffset now) => new(
        checkpoint.PageId,
        checkpoint.Platform,
        checkpoint.State switch
        {
            InboxSyncState.Completed => SyncState.Completed,
            InboxSyncState.Failed => SyncState.Failed,
            _ => checkpoint.LeaseExpiresAt > now ? SyncState.Running : SyncState.Interrupted,
        },
        checkpoint.ConversationsListed,
        checkpoint.ConversationsSynced,
        checkpoint.ConversationsUnchanged,
        checkpoint.State == InboxSyncState.Completed,
        checkpoint.MessagesArchived,
        checkpoint.CallsUsed,
        checkpoint.StartedAt,
        checkpoint.FinishedAt,
        checkpoint.LastError);
}
