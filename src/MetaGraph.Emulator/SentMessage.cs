namespace MetaGraph.Emulator;

/// <summary>A Send API call the emulator processed (<c>GET /_emulator/sends</c>): to whom, in which thread, what, and whether
/// its answer was lost on purpose (<see cref="EmulatorRuntimeConfig.SendAnswerLoss"/>). <see cref="MessageId"/> is the
/// message sent, or the message a reaction is on; <see cref="SenderAction"/> is set instead of the message fields for a
/// sender action.</summary>
public sealed record SentMessage(
    string PageId,
    string Platform,
    string RecipientId,
    string ConversationId,
    string? MessageId,
    string? MessagingType,
    string? Tag,
    string? Text,
    SentAttachment? Attachment,
    string? ReplyTo,
    string? Metadata,
    string? SenderAction,
    string? Reaction,
    bool AnswerLost);

/// <summary>An attachment sent by URL: <see cref="Type"/> is <c>image</c>, <c>video</c>, <c>audio</c> or <c>file</c>.</summary>
public sealed record SentAttachment(string Type, string Url);
