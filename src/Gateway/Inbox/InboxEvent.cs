using System.Text.Json.Serialization;
using MetaGraph;

namespace Gateway.Inbox;

/// <summary>What happened, in the names the schema's <c>MessageEventKind</c> uses.</summary>
public enum InboxEventKind
{
    /// <summary>A person wrote to the Page.</summary>
    New,
    /// <summary>The Page's own message (Meta's <c>is_echo</c>), sent from any app or Meta's inbox.</summary>
    Echo,
    /// <summary>The person read everything up to the watermark.</summary>
    Read,
    /// <summary>A reaction was added to or removed from a message.</summary>
    Reaction,
    /// <summary>The person unsent a message (Instagram's <c>is_deleted</c>).</summary>
    Deleted,
}

public enum ReactionAction { React, Unreact }

/// <summary>One thing that happened in a Page's inbox, as Meta's webhook told it. Webhooks name the person (a PSID on
/// Messenger, an IGSID on Instagram), not the conversation; <see cref="Conversation"/> is filled in once known.</summary>
/// <param name="PageId">The Facebook Page (an Instagram account's events carry its Page when configured).</param>
public sealed record InboxEvent(
    InboxEventKind Kind,
    string PageId,
    Platform Platform,
    string PersonId,
    DateTimeOffset Timestamp,
    WebhookMessage? Message = null,
    DateTimeOffset? Watermark = null,
    WebhookReaction? Reaction = null)
{
    /// <summary>The person's conversation with the Page, when it could be found.</summary>
    public PersonConversation? Conversation { get; init; }

    /// <summary>When the gateway received the webhook: Graph answers from before then may not show the event yet.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Delivered again from the history to a subscriber that resumed, rather than as it happened: what it says of
    /// its conversation is what the event itself says, never a read of today's state.</summary>
    [JsonIgnore]
    public bool Replayed { get; init; }

    /// <summary>Its place in the Page's event history, given when it is published; a subscriber resumes after it.</summary>
    [JsonIgnore]
    public InboxEventId? EventId { get; init; }

    /// <summary>Not an event: the Page's history has a hole here (events published while Redis was away), and a subscriber
    /// handed this is told its stream cannot be made whole (<c>EVENT_HISTORY_EXPIRED</c>), then ended.</summary>
    [JsonIgnore]
    public bool IsHistoryGap { get; init; }

    public static InboxEvent HistoryGapIn(string pageId)
        => new(InboxEventKind.New, pageId, Platform.Messenger, "", DateTimeOffset.UnixEpoch) { IsHistoryGap = true };

    /// <summary>The message the event is about (new, echoed, reacted to or deleted).</summary>
    public string? MessageId => Message?.Mid ?? Reaction?.Mid;

    /// <summary>Meta redelivers for up to 36 hours: an event is the same when this key is.</summary>
    public string DedupeKey => Kind switch
    {
        InboxEventKind.Read => $"read:{PageId}:{PersonId}:{Watermark?.ToUnixTimeMilliseconds()}",
        InboxEventKind.Reaction => $"reaction:{Reaction!.Mid}:{PersonId}:{Reaction.Action}:{Reaction.Reaction}",
        _ => $"{Kind}:{Message!.Mid}",
    };
}

/// <summary>A message as the webhook carries it: enough for id, createdTime, from, to, text, attachments and replyTo.
/// <see cref="Metadata"/> is what the app that sent an echoed message gave the Send API.</summary>
public sealed record WebhookMessage(string Mid, string SenderId, string RecipientId, string? Text, IReadOnlyList<Attachment> Attachments, string? ReplyToMid,
    string? Metadata = null)
{
    /// <summary>Meta's attachment by type and URL (<c>{"type":"image","payload":{"url"}}</c> in a webhook, the same in a send) as the
    /// Graph API model the schema reads.</summary>
    public static Attachment AttachmentOf(string? type, string? url) => type switch
    {
        "image" => new Attachment { ImageData = new ImageData { Url = url } },
        "video" => new Attachment { VideoData = new VideoData { Url = url } },
        _ => new Attachment { FileUrl = url },
    };

    /// <summary>The Graph fields a webhook message answers.</summary>
    public static readonly FieldList GraphFields = FieldList.Of("id", "created_time", "from", "to", "message", "attachments", "reply_to");

    /// <summary>The message as Graph would give it with <see cref="GraphFields"/>, its sender and recipient named from the
    /// conversation's <paramref name="participants"/> where they are among them.</summary>
    public Message ToGraph(DateTimeOffset createdTime, IReadOnlyList<Participant> participants)
    {
        Participant Named(string id) => participants.FirstOrDefault(p => p.Id == id) ?? new Participant { Id = id };
        return new Message
        {
            Id = Mid,
            CreatedTime = createdTime,
            From = Named(SenderId),
            To = new GraphList<Participant> { Data = [Named(RecipientId)] },
            // Graph says "" for a message without text; the webhook leaves `text` out.
            Text = Text ?? "",
            Attachments = Attachments.Count > 0 ? new GraphList<Attachment> { Data = Attachments } : null,
            ReplyTo = ReplyToMid is { } replyTo ? new ReplyTo { Mid = replyTo } : null,
        };
    }
}

public sealed record WebhookReaction(string Mid, ReactionAction Action, string? Reaction, string? Emoji);

/// <summary>A person's conversation with a Page and its participants (the person and the Page, with their names).</summary>
public sealed record PersonConversation(string Id, IReadOnlyList<Participant> Participants);
