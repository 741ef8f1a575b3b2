using MetaGraph;

namespace Gateway.Archive.Storage;

// The tables, one class a table. JSON columns hold Graph's own shapes (MetaGraph's models serialized as Meta sends them), so
// a later reader can rebuild exactly what Meta said; they are text in SQLite and jsonb in PostgreSQL.

/// <summary>A conversation (thread) as Meta identifies it; its people are in <see cref="ParticipantRow"/>.</summary>
internal sealed class ConversationRow
{
    public string Id { get; set; } = "";
    public string PageId { get; set; } = "";
    public Platform Platform { get; set; }
    public DateTimeOffset? UpdatedTime { get; set; }
    public DateTimeOffset FirstSeen { get; set; }
    public DateTimeOffset LastSeen { get; set; }
    public List<ParticipantRow> Participants { get; set; } = [];
}

/// <summary>One person (or the Page) in a conversation: a row of its own so a person's data can be found and erased by id.</summary>
internal sealed class ParticipantRow
{
    public string ConversationId { get; set; } = "";
    public string PersonId { get; set; } = "";
    public string? Name { get; set; }
    public string? Username { get; set; }
}

/// <summary>
/// A message. <see cref="Seq"/> is the storage key only: SQLite's full-text index points at rows by an integer that VACUUM
/// must not renumber, which only a declared INTEGER PRIMARY KEY guarantees. Meta's id is the message's identity: unique,
/// and what every write and read goes by.
/// </summary>
internal sealed class MessageRow
{
    public long Seq { get; set; }
    public string Id { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string PageId { get; set; } = "";
    public Platform Platform { get; set; }
    public DateTimeOffset CreatedTime { get; set; }
    public string? FromId { get; set; }
    public string? FromName { get; set; }
    public string? FromUsername { get; set; }
    public string? Recipients { get; set; }
    public string? Text { get; set; }
    public string? Attachments { get; set; }
    public string? Shares { get; set; }
    public string? Story { get; set; }
    public string? ReplyTo { get; set; }
    public string? Reactions { get; set; }
    public string? Tags { get; set; }
    public string? Sticker { get; set; }
    public bool Deleted { get; set; }
    public MessageSources Sources { get; set; }
    public DateTimeOffset FirstSeen { get; set; }
    public DateTimeOffset LastSeen { get; set; }
}

/// <summary>Where an inbox sync of one Page and platform stands, and who runs it (a lease, so one instance at a time).</summary>
internal sealed class SyncCheckpointRow
{
    public string PageId { get; set; } = "";
    public Platform Platform { get; set; }
    public InboxSyncState State { get; set; }
    public string? ListingCursor { get; set; }
    public int ConversationsListed { get; set; }
    public int ConversationsSynced { get; set; }
    public int ConversationsUnchanged { get; set; }
    public long MessagesArchived { get; set; }
    public long CallsUsed { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? LastError { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
}

/// <summary>A conversation an inbox sync has archived, at the <c>updated_time</c> it had then: a later run skips it until
/// that time moves.</summary>
internal sealed class SyncedConversationRow
{
    public string PageId { get; set; } = "";
    public Platform Platform { get; set; }
    public string ConversationId { get; set; } = "";
    public DateTimeOffset UpdatedTime { get; set; }
    public DateTimeOffset SyncedAt { get; set; }
}

/// <summary>A request from Meta's data deletion callback, kept for the status page its confirmation code opens.</summary>
internal sealed class DataDeletionRow
{
    public string ConfirmationCode { get; set; } = "";
    public string UserId { get; set; } = "";
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public int MessagesDeleted { get; set; }
    public int ParticipantsRemoved { get; set; }
}
