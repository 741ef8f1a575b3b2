using MetaGraph;

namespace Gateway.Archive;

/// <summary>
/// A full-text search (<c>page(id) { searchMessages(query, platform, from, to, first, after) }</c>). Only messages of
/// <see cref="PageIds"/> are searched: the caller passes the Pages it may read, and nothing else is ever looked at.
/// </summary>
/// <param name="Query">Words (all must match), <c>"a phrase"</c>, <c>prefix*</c>; anything else is plain text.</param>
public sealed record MessageSearchRequest(string Query, IReadOnlyCollection<string> PageIds)
{
    public Platform? Platform { get; init; }
    /// <summary>Messages created at or after this time (the schema's <c>from</c>).</summary>
    public DateTimeOffset? Since { get; init; }
    /// <summary>Messages created before this time (the schema's <c>to</c>).</summary>
    public DateTimeOffset? Until { get; init; }
    public int First { get; init; } = 10;
    /// <summary>The cursor of the last hit of the previous page.</summary>
    public string? After { get; init; }
}

/// <summary>A message that matched, most relevant first, then newest.</summary>
/// <param name="Snippet">The matching part of the text, matched words between « and » (plain text: escape it before
/// putting it in HTML).</param>
public sealed record MessageSearchHit(string MessageId, string ConversationId, string PageId, Platform Platform,
    DateTimeOffset CreatedTime, string Snippet);
