using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Errors;
using MetaGraph.Emulator.Send;
using MetaGraph.Emulator.Webhooks;

namespace MetaGraph.Emulator.Live;

/// <summary>What a Send API call did: the thread as it is after it, and the message it appended or acted on.</summary>
internal sealed record SendResult(ConversationData Thread, MessageData? Message);

/// <summary>The Send API's changes. They are made in the same sequence as every other change, on the data as it is then: the
/// recipient, the window and the allowances are judged against the moment the message is appended.</summary>
internal sealed partial class LiveInbox
{
    /// <summary>Sends a message or a sender action to the person with <see cref="SendRequest.RecipientId"/> on
    /// <paramref name="platform"/> (either, when null). <paramref name="charge"/> prices the call once its thread is known; a
    /// message is appended as a Page's reply is (tags <c>sent</c> and <c>source:page_platform_api</c>) and echoed with the app.</summary>
    public SendResult Send(string pageId, InboxPlatform? platform, SendRequest request, SentWithApi app, Action<ConversationData> charge)
        => Apply(data =>
        {
            var page = data.FindPage(pageId)!;
            var thread = ThreadWith(page, platform, request.RecipientId);
            charge(thread);
            Reachable(thread);
            return request.Message is { } message ? SendMessage(data, thread, message, app) : Act(data, page, thread, request.Action!);
        });

    private (InboxData, SendResult, IReadOnlyList<WebhookEvent>) SendMessage(InboxData data, ConversationData thread, OutgoingMessage message,
        SentWithApi app)
    {
        MessagingWindow.Check(thread, message.Tag, _clock.Now);
        if (message.ReplyTo is { } mid && thread.Messages.All(m => m.Id != mid))
        {
            throw GraphErrors.InvalidParameter($"(#100) param reply_to[mid] {mid} is not a message of this thread");
        }
        var attachments = message.Attachment is { } a ? [new AttachmentInput(a.Kind.ToString().ToLowerInvariant(), a.Url)] : (IReadOnlyList<AttachmentInput>?)null;
        var input = new MessageInput(thread.PageId, Name(thread.Platform), ConversationId: thread.Id, Text: message.Text, Attachments: attachments,
            FromPage: true, ReplyTo: message.ReplyTo);
        var (next, conversation, appended, echo) = Append(data, input, app);
        return (next, new SendResult(conversation, appended), [echo]);
    }

    /// <summary>A sender action. <c>mark_seen</c> reads the thread as the Page does (any time); typing and reactions show to the
    /// person, so they need the 24-hour window (our choice). Meta sends no webhook for the business's own reaction.</summary>
    private (InboxData, SendResult, IReadOnlyList<WebhookEvent>) Act(InboxData data, PageData page, ConversationData thread, SenderAction action)
    {
        if (action.Name == "mark_seen")
        {
            var read = ReadByPage(thread);
            return (data.With(read), new SendResult(read, null), []);
        }
        MessagingWindow.Check(thread, null, _clock.Now);
        if (action.MessageId is not { } messageId)
        {
            return (data, new SendResult(thread, null), []);
        }
        var message = thread.Messages.FirstOrDefault(m => m.Id == messageId)
            ?? throw GraphErrors.InvalidParameter($"(#100) param payload[message_id] {messageId} is not a message of this thread");
        var reacted = message with { Reactions = Reacted(message.Reactions, Owner(page, thread.Platform), action.Name == "react" ? action.Reaction : null) };
        var updated = WithMessages(thread, [.. thread.Messages.Select(m => m.Id == messageId ? reacted : m)]);
        return (data.With(updated), new SendResult(updated, reacted), []);
    }

    /// <summary>The thread with this person, or Meta's "No matching user found" (Instagram: "No matching Instagram user").</summary>
    private static ConversationData ThreadWith(PageData page, InboxPlatform? platform, string recipientId)
        => page.ConversationWith(recipientId) is { } thread && (platform is null || thread.Platform == platform)
            ? thread
            : throw (platform == InboxPlatform.Instagram
                ? new GraphError(400, 100, "(#100) No matching Instagram user", subcode: 2534014)
                : new GraphError(400, 100, "(#100) No matching user found", subcode: 2018001));

    /// <summary>Meta's 551 for a person who stopped the Page's messages, with subcode 1545041 for one who cannot be reached.</summary>
    private static void Reachable(ConversationData thread)
    {
        switch (thread.Availability)
        {
            case PersonAvailability.Blocked:
                throw new GraphError(400, 551, "(#551) This person isn't receiving messages from you right now.");
            case PersonAvailability.Unavailable:
                throw new GraphError(400, 551, "(#551) This person isn't available right now.", subcode: 1545041);
        }
    }
}
