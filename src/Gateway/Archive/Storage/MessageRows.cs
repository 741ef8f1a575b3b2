using MetaGraph;

namespace Gateway.Archive.Storage;

/// <summary>Between the API's records and the table's rows.</summary>
internal static class MessageRows
{
    public static MessageRow ToRow(ArchivedMessage message, DateTimeOffset now)
    {
        // An unsent message is written without content even when the copy at hand still has it.
        var content = message.Deleted ? null : message;
        return new MessageRow
        {
            Id = message.Id,
            ConversationId = message.ConversationId,
            PageId = message.PageId,
            Platform = message.Platform,
            CreatedTime = message.CreatedTime,
            FromId = message.From?.Id,
            FromName = Cleaned(message.From?.Name),
            FromUsername = Cleaned(message.From?.Username),
            Recipients = ArchiveJson.Write(message.To),
            Text = Cleaned(content?.Text),
            Attachments = ArchiveJson.Write(content?.Attachments),
            Shares = ArchiveJson.Write(content?.Shares),
            Story = ArchiveJson.Write(content?.Story),
            ReplyTo = ArchiveJson.Write(message.ReplyTo),
            Reactions = ArchiveJson.Write(message.Reactions),
            Tags = ArchiveJson.Write(message.Tags),
            Sticker = Cleaned(content?.Sticker),
            Deleted = message.Deleted,
            Sources = message.Sources,
            FirstSeen = now,
            LastSeen = now,
        };
    }

    /// <summary>Free text as stored: no NUL characters (PostgreSQL's text refuses them, and one would fail its whole
    /// batch), and no text rather than <c>""</c>.</summary>
    public static string? Cleaned(string? text)
        => string.IsNullOrEmpty(text) ? null : text.Replace("\0", "", StringComparison.Ordinal) is { Length: > 0 } kept ? kept : null;

    public static StoredMessage ToStored(MessageRow row) => new(
        new ArchivedMessage
        {
            Id = row.Id,
            ConversationId = row.ConversationId,
            PageId = row.PageId,
            Platform = row.Platform,
            CreatedTime = row.CreatedTime,
            Sources = row.Sources,
            From = row.FromId is null ? null : new Participant { Id = row.FromId, Name = row.FromName, Username = row.FromUsername },
            To = ArchiveJson.Read<IReadOnlyList<Participant>>(row.Recipients),
            Text = row.Text,
            Attachments = ArchiveJson.Read<IReadOnlyList<Attachment>>(row.Attachments),
            Shares = ArchiveJson.Read<IReadOnlyList<Share>>(row.Shares),
            Story = ArchiveJson.Read<MessageStory>(row.Story),
            ReplyTo = ArchiveJson.Read<ReplyTo>(row.ReplyTo),
            Reactions = ArchiveJson.Read<IReadOnlyList<Reaction>>(row.Reactions),
            Tags = ArchiveJson.Read<IReadOnlyList<MessageTag>>(row.Tags),
            Sticker = row.Sticker,
            Deleted = row.Deleted,
        },
        row.FirstSeen,
        row.LastSeen);
}
