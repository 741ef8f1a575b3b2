using MetaGraph;

namespace Gateway.Archive;

/// <summary>The one mapping between a Graph message and the archive's copy of it, both ways.</summary>
public static class ArchivedMessages
{
    /// <summary>The message as Graph would give it, for the schema's message fields (a deleted one has no content).</summary>
    public static Message ToGraph(this ArchivedMessage archived) => new()
    {
        Id = archived.Id,
        CreatedTime = archived.CreatedTime,
        From = archived.From,
        To = archived.To is { } to ? new GraphList<Participant> { Data = [.. to] } : null,
        // Graph says "" for a message without text.
        Text = archived.Text ?? "",
        Sticker = archived.Sticker,
        Attachments = archived.Attachments is { Count: > 0 } attachments ? new GraphList<Attachment> { Data = [.. attachments] } : null,
        ReplyTo = archived.ReplyTo,
        Tags = archived.Tags is { Count: > 0 } tags ? new GraphList<MessageTag> { Data = [.. tags] } : null,
        Shares = archived.Shares is { Count: > 0 } shares ? new GraphList<Share> { Data = [.. shares] } : null,
        Story = archived.Story,
        Reactions = archived.Reactions is { Count: > 0 } reactions ? new GraphList<Reaction> { Data = [.. reactions] } : null,
    };

    /// <summary>What a Graph read of the message says, as one source's copy. A field the read did not ask for stays unknown
    /// (null), so it never erases what the archive holds; a list the read asked for and Graph left out (Meta omits empty
    /// ones) is known to be empty, so a reaction taken back inside Meta's window leaves the archive too.</summary>
    /// <param name="asked">The fields the read asked Graph for.</param>
    public static ArchivedMessage FromGraph(Message message, string conversationId, string pageId, Platform platform, MessageSources source,
        FieldList asked)
    {
        IReadOnlyList<T>? Listed<T>(string field, GraphList<T>? list) => list?.Data ?? (asked.Contains(field) ? [] : null);
        return new()
        {
            Id = message.Id,
            ConversationId = conversationId,
            PageId = pageId,
            Platform = platform,
            CreatedTime = message.CreatedTime ?? throw new ArgumentException("A message is archived with its created time.", nameof(message)),
            Sources = source,
            From = message.From,
            To = Listed("to", message.To),
            Text = string.IsNullOrEmpty(message.Text) ? null : message.Text,
            Attachments = Listed("attachments", message.Attachments),
            Shares = Listed("shares", message.Shares),
            Story = message.Story,
            ReplyTo = message.ReplyTo,
            Reactions = Listed("reactions", message.Reactions),
            Tags = Listed("tags", message.Tags),
            Sticker = message.Sticker,
        };
    }
}
