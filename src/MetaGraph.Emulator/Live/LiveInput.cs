namespace MetaGraph.Emulator.Live;

/// <summary><c>POST /_emulator/messages</c>: a person writes to a Page, or with <see cref="FromPage"/> the Page replies
/// (an echo). The conversation is <see cref="ConversationId"/>, else the one with <see cref="UserId"/>; a person the Page
/// has no conversation with (or no person at all: a new one) starts a new conversation. An Instagram person's message may
/// mention the Page's account in their story or reply to the Page's story (<see cref="Story"/>: <c>mention</c> or
/// <c>reply</c>); a person's message may be one the API cannot show (<see cref="Unsupported"/>).</summary>
internal sealed record MessageInput(
    string? PageId,
    string? Platform,
    string? UserId = null,
    string? ConversationId = null,
    string? Text = null,
    IReadOnlyList<AttachmentInput>? Attachments = null,
    bool FromPage = false,
    string? ReplyTo = null,
    string? Name = null,
    string? Story = null,
    bool Unsupported = false);

/// <summary><see cref="Type"/> is <c>image</c>, <c>video</c>, <c>audio</c>, <c>file</c> or (a person's, on Messenger, alone)
/// <c>sticker</c>; without a <see cref="Url"/> one is made up. A sticker has a <see cref="StickerId"/> (default Meta's Like
/// sticker, 369239263222822); a video a <see cref="VideoType"/> (<c>file_attachment</c> default, <c>recorded_video</c>,
/// <c>speaking_sticker</c>, <c>recorded_sticker</c>, <c>video_mail</c>).</summary>
internal sealed record AttachmentInput(string? Type, string? Url = null, long? StickerId = null, string? VideoType = null);

/// <summary><c>POST /_emulator/postbacks</c>: the conversation's person taps a button (a postback button, an Instagram ice
/// breaker) whose <see cref="Title"/> joins the thread as their message and whose <see cref="Payload"/> the webhook carries.</summary>
internal sealed record PostbackInput(string? PageId, string? Platform, string? UserId = null, string? ConversationId = null,
    string? Title = null, string? Payload = null);

/// <summary><c>POST /_emulator/availability</c>: whether the Page can message the person: <c>available</c>, <c>blocked</c> (they
/// stopped the Page's messages) or <c>unavailable</c> (they cannot be reached). Meta sends no webhook for it.</summary>
internal sealed record AvailabilityInput(string? PageId, string? Platform, string? UserId = null, string? ConversationId = null,
    string? Availability = null);

/// <summary><c>POST /_emulator/reads</c>: the person reads the Page's messages (a <c>read</c> webhook), or with
/// <see cref="By"/> <c>"page"</c> the Page reads the person's (unread_count drops to 0; Meta sends no webhook).</summary>
internal sealed record ReadInput(string? PageId, string? Platform, string? UserId = null, string? ConversationId = null, string? By = null);

/// <summary><c>POST /_emulator/reactions</c>: the conversation's person reacts to a message (or takes it back).</summary>
internal sealed record ReactionInput(string? PageId, string? MessageId, string? Reaction = null, string? Emoji = null, string? Action = null);

/// <summary><c>POST /_emulator/unsends</c>: an Instagram person unsends their message.</summary>
internal sealed record UnsendInput(string? PageId, string? MessageId);

/// <summary>What a change did: the conversation, the person, and the message it made or touched.</summary>
internal sealed record LiveAnswer(string ConversationId, string UserId, string? MessageId, string? CreatedTime, long Timestamp);

/// <summary>Input the living inbox refuses: 400 for a malformed request, 404 for something that does not exist.</summary>
internal sealed class LiveInputException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
