using MetaGraph.Emulator.Data;

namespace MetaGraph.Emulator.Send;

/// <summary>A Send API call once its parameters are checked: the person (a PSID or IGSID), and a message or a sender action.</summary>
internal sealed record SendRequest(string RecipientId, OutgoingMessage? Message, SenderAction? Action);

/// <summary>A message the Page sends: its <c>messaging_type</c> (<c>RESPONSE</c>, <c>UPDATE</c> or <c>MESSAGE_TAG</c> with a
/// <see cref="Tag"/>), its text or one attachment, the message it replies to, and the <c>metadata</c> its echo carries.</summary>
internal sealed record OutgoingMessage(string MessagingType, string? Tag, string? Text, OutgoingAttachment? Attachment, string? ReplyTo,
    string? Metadata)
{
    /// <summary>Audio and video have their own, lower allowance.</summary>
    public bool IsMedia => Attachment?.Kind is AttachmentKind.Audio or AttachmentKind.Video;
}

/// <summary>An attachment sent by URL; a reusable one's id comes back in the answer (<c>attachment_id</c>).</summary>
internal sealed record OutgoingAttachment(AttachmentKind Kind, string Url, bool IsReusable);

/// <summary><c>mark_seen</c>, <c>typing_on</c>, <c>typing_off</c>, or <c>react</c>/<c>unreact</c> to a message of the thread.</summary>
internal sealed record SenderAction(string Name, string? MessageId, string? Reaction);
