using System.ComponentModel;
using Gateway.Api;
using Gateway.DataLoading;
using Gateway.Inbox;
using Gateway.Sending;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Messages;

/// <summary>Meta's message tags: a message sent outside the 24-hour window says why.</summary>
public enum MessageTag
{
    [Description("A human agent (not automation) answers, within 7 days of the person's last message (Messenger and Instagram).")] HumanAgent,
    [Description("A reminder of an event the person registered for (Messenger).")] ConfirmedEventUpdate,
    [Description("An update on the person's purchase (Messenger).")] PostPurchaseUpdate,
    [Description("A change to the person's account or application (Messenger).")] AccountUpdate,
}

public sealed class MessageTagType : EnumerationGraphType<MessageTag>
{
    public MessageTagType()
    {
        Name = "MessageTag";
        Description = "Meta's message tags, for messages outside the 24-hour window. Instagram allows only `HUMAN_AGENT`.";
    }
}

/// <summary><c>sendMessage</c>'s input, as GraphQL.NET reads it.</summary>
public sealed class SendMessageInput
{
    public string? ConversationId { get; set; }
    public MessageRecipientInput? Recipient { get; set; }
    public string? Text { get; set; }
    public MessageAttachmentInput? Attachment { get; set; }
    public string? ReplyToMessageId { get; set; }
    public MessageTag? Tag { get; set; }
    public string? IdempotencyKey { get; set; }
}

public sealed class MessageRecipientInput
{
    public string PageId { get; set; } = "";
    public Platform Platform { get; set; }
    public string UserId { get; set; } = "";
}

public sealed class MessageAttachmentInput
{
    public AttachmentKind Type { get; set; }
    public string Url { get; set; } = "";
}

public sealed class SendMessageInputType : InputObjectGraphType<SendMessageInput>
{
    public SendMessageInputType()
    {
        Name = "SendMessageInput";
        Description = "A message to send: to `conversationId` or to `recipient` (one of them), with `text` or an `attachment` (one of them).";
        Field<IdGraphType>("conversationId").Description("The conversation to reply in: its `id` or Meta's id.");
        Field<MessageRecipientInputType>("recipient").Description("Or the person to message, by Page, platform and person.");
        Field<StringGraphType>("text").Description("The text, up to 2,000 characters.");
        Field<MessageAttachmentInputType>("attachment").Description("Or one file, which Meta fetches from its URL.");
        Field<IdGraphType>("replyToMessageId").Description("The message of the thread this one replies to: its `id` or Meta's id.");
        Field<MessageTagType>("tag").Description("Why a message outside the 24-hour window may be sent; `HUMAN_AGENT` allows 7 days.");
        Field<StringGraphType>("idempotencyKey")
            .Description("Any text up to 255 characters that names this message: the same key again within 24 hours returns the first send's result and never sends twice, on any instance.");
    }
}

public sealed class MessageRecipientInputType : InputObjectGraphType<MessageRecipientInput>
{
    public MessageRecipientInputType()
    {
        Name = "MessageRecipientInput";
        Description = "A person of a Page's inbox.";
        Field<NonNullGraphType<IdGraphType>>("pageId").Description("The Page: its `id` or Meta's Page id.");
        Field<NonNullGraphType<PlatformType>>("platform").Description("Messenger or Instagram.");
        Field<NonNullGraphType<IdGraphType>>("userId").Description("The person: a Participant's `id`, or their PSID on Messenger, IGSID on Instagram.");
    }
}

public sealed class MessageAttachmentInputType : InputObjectGraphType<MessageAttachmentInput>
{
    public MessageAttachmentInputType()
    {
        Name = "MessageAttachmentInput";
        Description = "A file sent by URL. Audio and video have their own, lower allowance (10 a second per Page).";
        Field<NonNullGraphType<AttachmentKindType>>("type").Description("Image, video, audio or file.");
        Field<NonNullGraphType<StringGraphType>>("url").Description("An absolute http(s) URL Meta fetches the file from.");
    }
}

/// <summary><c>sendMessage</c>'s answer: the message as delivered, or why not.</summary>
public sealed record SendMessagePayload(InboxEvent? Sent, IReadOnlyList<SendError>? Errors)
{
    public static SendMessagePayload Of(SendOutcome outcome) => new(outcome.Delivered, outcome.Error is { } error ? [error] : null);
}

public sealed class SendMessagePayloadType : ObjectGraphType<SendMessagePayload>
{
    public SendMessagePayloadType()
    {
        Name = "SendMessagePayload";
        Description = "The message sent, or why it was not (then `message` is null).";
        Field<MessageType>("message")
            .Description("The message as delivered: id, createdTime (this gateway's clock), from, to, text, attachments and replyTo without a Graph API call. The next reads of the inbox and the thread show it.")
            .ResolveAsync(async context => context.Source.Sent is { } sent
                ? await Subscriptions.WebhookNodes.MessageAsync(context, sent, context.RequestServices!.GetRequiredService<RequestLoaders>().ForPage(sent.PageId))
                : null);
        Field<ListGraphType<NonNullGraphType<SendMessageErrorType>>>("errors").Description("Why nothing was delivered, or may not have been; null when the message was sent.")
            .Resolve(context => context.Source.Errors);
    }
}
