namespace MetaGraph.Emulator.Live;

/// <summary><c>POST /_emulator/messages</c>: a person writes to a Page, or with <see cref="FromPage"/> the Page replies
/// (an echo). The conversation is <see cref="ConversationId"/>, else the one with <see cref="UserId"/>; a person the Page
/// has no conversation with (or no person at all: a new one) starts a new conversation.</summary>
internal sealed record MessageInput(
    string? PageId,
    string? Platform,
    string? UserId = null,
    string? ConversationId = null,
    string? Text = null,
    IReadOnlyList<AttachmentInput>? Attachments = null,
    bool FromPage = false,
    string? ReplyTo = null,
    string? Name = null);

/// <summary><see cref="Type"/> is <c>image</c>, <c>video</c> or <c>file</c>; without a <see cref="Url"/> one is made up.</summary>
internal sealed record AttachmentInput(string? Type, string? Url = null);

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
