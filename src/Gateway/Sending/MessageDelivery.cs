using Gateway.Api;
using Gateway.Caching;
using Gateway.Inbox;
using Gateway.Telemetry;
using Gateway.Upstream;
using MetaGraph;

namespace Gateway.Sending;

/// <summary>A message the caller asked to send, as the Page it is sent as (with that Page's token, which is never printed) to a
/// conversation or to a person of the Page on a platform.</summary>
public sealed class MessageToSend(string pageId, string accessToken, Platform platform, string? conversationId, string? personId,
    OutgoingMessage message, string? idempotencyKey)
{
    public string PageId { get; } = pageId;
    public string AccessToken { get; } = accessToken;
    public Platform Platform { get; } = platform;
    public string? ConversationId { get; } = conversationId;
    public string? PersonId { get; } = personId;
    public OutgoingMessage Message { get; } = message;
    public string? IdempotencyKey { get; } = idempotencyKey;

    /// <summary>What was asked, without the token: the same idempotency key for anything else is refused.</summary>
    public string Fingerprint => SendKeys.Hash(string.Join('\n', PageId, Platform, ConversationId, PersonId, Message.Text,
        Message.Attachment?.Type, Message.Attachment?.Url, Message.Tag, Message.ReplyTo));

    public override string ToString() => $"a message to {ConversationId ?? PersonId} as Page {PageId}";
}

/// <summary>
/// One Send API call for a message or a sender action, from the thread to the bookkeeping after it: the person's window is
/// checked before Meta is called (a Page's own message never reopens it), a message waits its thread's turn
/// (<see cref="ThreadPacing"/>), the call is priced against the Page's Send allowance and never retried, and Meta's answer
/// becomes a <see cref="SendOutcome"/>. A request that may have reached Meta is never reported as refused: its outcome is
/// unknown. A delivered message invalidates its conversation at once (read your own writes) and goes into the spine as its
/// echo, with the key Meta's echo webhook will have, so subscribers hear of it once. Scoped.
/// </summary>
public sealed partial class MessageDelivery(
    GovernedGraphClient client, ReplyThreads threads, MessagingWindows windows, ThreadPacing pacing, GraphResultCache cache, InboxIntake intake,
    TimeProvider time, GatewayMetrics metrics, ILogger<MessageDelivery> logger)
{
    public const string HumanAgentTag = "HUMAN_AGENT";

    /// <summary>Sends the message; once it has begun it runs to its end (the caller may stop waiting), so its outcome is
    /// always recorded. <paramref name="metadata"/> is what its echo carries back.</summary>
    public async Task<SendOutcome> DeliverAsync(MessageToSend send, string? metadata)
    {
        var ct = CancellationToken.None;
        var thread = await threads.FindAsync(send.AccessToken, send.PageId, send.Platform, send.ConversationId, send.PersonId, ct);
        if (thread is null)
        {
            return Counted("message", SendOutcome.Failed(new RecipientNotFound("This conversation has no person the Page could message.")));
        }
        var humanAgent = send.Message.Tag == HumanAgentTag;
        var (checkedThread, window, refusal) = await CheckWindowAsync(send.AccessToken, thread, WindowLengthOf(send.Message.Tag));
        if (refusal is not null)
        {
            return Counted("message", SendOutcome.Failed(refusal));
        }
        thread = checkedThread!;
        IDisposable turn;
        try
        {
            turn = await pacing.TurnAsync(thread.PageId, thread.PersonId, ct);
        }
        catch (GatewayError error) when (SendErrors.FromGateway(error) is { } limited)
        {
            return Counted("message", SendOutcome.Failed(limited));
        }
        SendAnswer? answer;
        SendError? failure;
        using (turn)
        {
            (answer, failure) = await CallAsync(send.AccessToken, new SendRequest(thread.PersonId, send.Message with { Metadata = metadata }),
                thread.PageId, window, humanAgent, send.IdempotencyKey);
        }
        if (failure is not null)
        {
            return Counted("message", SendOutcome.Failed(failure));
        }
        if (answer?.MessageId is not { } messageId)
        {
            return Counted("message", SendOutcome.Failed(Unknown(send.IdempotencyKey, "Meta answered without the message's id")));
        }
        var echo = EchoOf(thread, messageId, send.Message, metadata);
        await RecordWriteAsync(echo);
        return Counted("message", SendOutcome.Sent(echo));
    }

    /// <summary>A sender action in the thread: within the 24-hour window when <paramref name="needsWindow"/> (typing and
    /// reactions show to the person; marking it seen does not). Null when Meta took it.</summary>
    public async Task<SendError?> ActAsync(string accessToken, ReplyThread thread, SenderAction action, bool needsWindow)
    {
        var (checkedThread, window, refusal) = await CheckWindowAsync(accessToken, thread, needsWindow ? MessagingWindow.Standard : null);
        var error = refusal ?? (await CallAsync(accessToken, new SendRequest(checkedThread!.PersonId, Action: action), thread.PageId, window,
            humanAgent: false, idempotencyKey: null)).Error;
        metrics.Sends.Add(1, new("kind", action.Name), new("outcome", OutcomeOf(error)));
        return error;
    }

    /// <summary>A message's window: 24 hours, 7 days with <c>HUMAN_AGENT</c>; Meta's update tags have none to check here.</summary>
    private static TimeSpan? WindowLengthOf(string? tag) => tag switch
    {
        null => MessagingWindow.Standard,
        HumanAgentTag => MessagingWindow.HumanAgent,
        _ => null,
    };

    private async Task<(ReplyThread? Thread, MessagingWindow? Window, SendError? Refusal)> CheckWindowAsync(string accessToken, ReplyThread thread,
        TimeSpan? length)
    {
        if (length is not { } needed)
        {
            return (thread, windows.Of(thread.PageId, thread.Platform, thread.PersonId), null);
        }
        var (found, window) = await threads.WindowAsync(accessToken, thread, needed, CancellationToken.None);
        if (found is null)
        {
            return (null, null, new RecipientNotFound("The Page has no conversation with this person."));
        }
        var now = time.GetUtcNow();
        return window is { } known && !known.IsOpen(now, needed)
            ? (found, window, OutsideMessagingWindow.For(known, needed == MessagingWindow.HumanAgent, now))
            : (found, window, null);
    }

    /// <summary>The call itself; a failure that may have taken effect is an unknown outcome, never a refusal.</summary>
    private async Task<(SendAnswer? Answer, SendError? Error)> CallAsync(string accessToken, SendRequest request, string pageId,
        MessagingWindow? window, bool humanAgent, string? idempotencyKey)
    {
        try
        {
            return ((await client.SendAsync(accessToken, pageId, request, CancellationToken.None)).Value, null);
        }
        catch (GraphApiException error) when (error.MayHaveTakenEffect)
        {
            Log.OutcomeUnknown(logger, pageId, error.HttpStatus, error.Code, error.FbTraceId);
            return (null, Unknown(idempotencyKey, error.Message));
        }
        catch (GraphApiException error)
        {
            return (null, SendErrors.FromMeta(error, window, humanAgent, time.GetUtcNow()) ?? throw GatewayError.FromGraph(error));
        }
        catch (GatewayError error) when (SendErrors.FromGateway(error) is { } limited)
        {
            return (null, limited);
        }
    }

    private static SendOutcomeUnknown Unknown(string? idempotencyKey, string cause) => new(idempotencyKey is null
        ? $"The message may have been delivered: {cause}. Sending it again may deliver it twice; send with an idempotencyKey to be told instead."
        : $"The message may have been delivered: {cause}. Send again with the same idempotencyKey: it is never sent twice, and its echo from Meta settles the outcome.",
        idempotencyKey);

    /// <summary>The delivered message as Meta's echo webhook will describe it (the Page's side as sender, the person as
    /// recipient), timed by this gateway's clock.</summary>
    private InboxEvent EchoOf(ReplyThread thread, string messageId, OutgoingMessage message, string? metadata)
    {
        var pageSide = windows.PageSideOf(thread.PageId, thread.Platform, thread.Conversation, thread.PersonId);
        var attachments = message.Attachment is { } attachment ? [WebhookMessage.AttachmentOf(attachment.Type, attachment.Url)] : (IReadOnlyList<Attachment>)[];
        return new InboxEvent(InboxEventKind.Echo, thread.PageId, thread.Platform, thread.PersonId, time.GetUtcNow(),
            new WebhookMessage(messageId, pageSide, thread.PersonId, message.Text, attachments, message.ReplyTo, metadata))
        {
            Conversation = thread.Conversation,
        };
    }

    /// <summary>After delivery nothing may turn the message into an error: what fails here is logged, and the echo webhook
    /// (invalidation and subscribers) or the cache's lifetime make up for it.</summary>
    private async Task RecordWriteAsync(InboxEvent echo)
    {
        try
        {
            await cache.WrittenAsync(echo.PageId, echo.Conversation?.Id);
            if (!intake.TryAccept([echo]))
            {
                Log.EchoNotQueued(logger, echo.PageId);
            }
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            Log.AfterDeliveryFailed(logger, echo.PageId, error);
        }
    }

    private SendOutcome Counted(string kind, SendOutcome outcome)
    {
        metrics.Sends.Add(1, new("kind", kind), new("outcome", OutcomeOf(outcome.Error)));
        return outcome;
    }

    private static string OutcomeOf(SendError? error) => error?.GetType().Name ?? "Sent";

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "A send as Page {PageId} may have been delivered: no answer came (HTTP {Status}, code {Code}, fbtrace_id {FbTraceId}).")]
        public static partial void OutcomeUnknown(ILogger logger, string pageId, int status, int code, string? fbTraceId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Page {PageId}'s event queue is full: subscribers hear of a sent message from its echo webhook instead.")]
        public static partial void EchoNotQueued(ILogger logger, string pageId);

        [LoggerMessage(Level = LogLevel.Error, Message = "A message sent as Page {PageId} was delivered, but invalidating or publishing it failed.")]
        public static partial void AfterDeliveryFailed(ILogger logger, string pageId, Exception error);
    }
}
