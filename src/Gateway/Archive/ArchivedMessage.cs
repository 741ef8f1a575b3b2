using MetaGraph;

namespace Gateway.Archive;

/// <summary>Where a copy of a message came from. A stored message keeps every source it was seen from.</summary>
[Flags]
public enum MessageSources
{
    None = 0,
    /// <summary>A Meta webhook (a person's message, an echo, an unsend).</summary>
    Webhook = 1,
    /// <summary>A Graph API read (a thread, a message's details, an inbox sync).</summary>
    GraphRead = 2,
    /// <summary>The gateway's own Send API call.</summary>
    Send = 4,
}

/// <summary>
/// A message as one source saw it, written by <see cref="MessageArchive.UpsertMessagesAsync"/> and read back inside
/// <see cref="StoredMessage"/>. A null field means "this source does not know", never "empty": an upsert keeps what the
/// archive already knows for it. An empty list means known to be empty. Meta's <c>""</c> text is stored as no text.
/// </summary>
public sealed record ArchivedMessage
{
    /// <summary>Meta's message id (<c>m_…</c> on Messenger, <c>aWdf…</c> on Instagram): the message's identity.</summary>
    public required string Id { get; init; }
    public required string ConversationId { get; init; }
    public required string PageId { get; init; }
    public required Platform Platform { get; init; }
    /// <summary>Kept as first written: a later source's rounding (webhooks give milliseconds, Graph seconds) never moves a
    /// message, so thread cursors stay valid.</summary>
    public required DateTimeOffset CreatedTime { get; init; }
    /// <summary>Where this copy came from; the archive keeps the union of all sources.</summary>
    public required MessageSources Sources { get; init; }
    public Participant? From { get; init; }
    public IReadOnlyList<Participant>? To { get; init; }
    public string? Text { get; init; }
    public IReadOnlyList<Attachment>? Attachments { get; init; }
    public IReadOnlyList<Share>? Shares { get; init; }
    public MessageStory? Story { get; init; }
    public ReplyTo? ReplyTo { get; init; }
    public IReadOnlyList<Reaction>? Reactions { get; init; }
    public IReadOnlyList<MessageTag>? Tags { get; init; }
    public string? Sticker { get; init; }
    /// <summary>Unsent by its author. Once true it stays true, and the content (text, attachments, shares, sticker, story)
    /// is gone for good: no later source brings it back.</summary>
    public bool Deleted { get; init; }
}

/// <summary>A message as the archive holds it, with when the archive first and last heard of it.</summary>
public sealed record StoredMessage(ArchivedMessage Message, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

/// <summary>A conversation and the people in it (the person and the Page), as written by
/// <see cref="MessageArchive.UpsertConversationsAsync"/>.</summary>
public sealed record ArchivedConversation
{
    public required string Id { get; init; }
    public required string PageId { get; init; }
    public required Platform Platform { get; init; }
    /// <summary>Meta's <c>updated_time</c>; the archive keeps the latest it was told.</summary>
    public DateTimeOffset? UpdatedTime { get; init; }
    /// <summary>Added to those already known (names filled in, never erased); nobody is removed by an upsert.</summary>
    public IReadOnlyList<Participant> Participants { get; init; } = [];

    /// <summary>A conversation as a Graph read of <paramref name="pageId"/>'s inbox gave it.</summary>
    public static ArchivedConversation FromGraph(Conversation conversation, string pageId, Platform platform) => new()
    {
        Id = conversation.Id,
        PageId = pageId,
        Platform = platform,
        UpdatedTime = conversation.UpdatedTime,
        Participants = conversation.Participants?.Data ?? [],
    };
}

/// <summary>One item of a page, with the opaque cursor that reads past it.</summary>
public sealed record ArchiveEdge<T>(T Node, string Cursor);

/// <summary>A page of a keyset-paged read: pass the last edge's cursor as <c>after</c> for the next page.</summary>
public sealed record ArchivePage<T>(IReadOnlyList<ArchiveEdge<T>> Edges, bool HasNextPage)
{
    public string? EndCursor => Edges.Count > 0 ? Edges[^1].Cursor : null;
}
