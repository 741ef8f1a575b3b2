using System.Globalization;
using Gateway.Api;
using Gateway.Inbox;
using MetaGraph;

namespace Gateway.Sending;

/// <summary>Why a send delivered nothing, or may not have: the typed errors of the schema's mutation payloads (HotChocolate's
/// mutation conventions: each implements <c>Error { message }</c>). Anything else is a GraphQL error.</summary>
public abstract record SendError(string Message);

/// <summary>Outside Meta's messaging window (the gateway's own check, or Meta's refusal): when it closed, when the 7-day
/// window of the <c>HUMAN_AGENT</c> tag closes, and whether that tag would allow the message now. Times are unknown (null)
/// when Meta refused a person the gateway had not seen write.</summary>
public sealed record OutsideMessagingWindow(string Message, DateTimeOffset? ClosedAt, bool HumanAgentAllowed, DateTimeOffset? HumanAgentClosesAt)
    : SendError(Message)
{
    public static OutsideMessagingWindow For(MessagingWindow window, bool humanAgent, DateTimeOffset now)
    {
        var closedAt = window.ClosesAt(humanAgent ? MessagingWindow.HumanAgent : MessagingWindow.Standard);
        var humanAgentClosesAt = window.ClosesAt(MessagingWindow.HumanAgent);
        var humanAgentAllowed = !humanAgent && window.IsOpen(now, MessagingWindow.HumanAgent);
        var message = $"The person last wrote at {Format(window.LastInbound)}: the Page's {(humanAgent ? "7-day HUMAN_AGENT" : "24-hour")} window " +
            $"closed at {Format(closedAt)}." + (humanAgentAllowed
                ? $" A human agent may still reply with the tag HUMAN_AGENT until {Format(humanAgentClosesAt)}."
                : " Only the person writing again reopens it.");
        return new OutsideMessagingWindow(message, closedAt, humanAgentAllowed, humanAgentClosesAt);
    }

    /// <summary>Meta refused the message as outside its window: the gateway's own knowledge says when, if it agrees. When it
    /// thought the window open, Meta knows better (the gateway missed a webhook, or never saw the person write).</summary>
    public static OutsideMessagingWindow FromMeta(MessagingWindow? window, bool humanAgent, DateTimeOffset now)
    {
        if (window is not { } known || known.IsOpen(now, humanAgent ? MessagingWindow.HumanAgent : MessagingWindow.Standard))
        {
            return new OutsideMessagingWindow("Meta refused the message as outside the messaging window; this gateway cannot say " +
                "when the person last wrote, so neither when it closed.", null, false, null);
        }
        var own = For(known, humanAgent, now);
        return own with { Message = "Meta refused the message as outside the messaging window. " + own.Message };
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>Meta's 551: the person blocked the Page's messages, or cannot be reached.</summary>
public sealed record RecipientUnavailable(string Message) : SendError(Message);

/// <summary>The Page has no conversation with this person (Meta's "No matching user found", or none to be read).</summary>
public sealed record RecipientNotFound(string Message) : SendError(Message);

/// <summary>The request may have reached Meta but its answer did not come back: it may have been delivered.</summary>
public sealed record SendOutcomeUnknown(string Message, string? IdempotencyKey) : SendError(Message);

/// <summary>The Page's Send API allowance, or its thread's, has no room now: nothing was sent.</summary>
public sealed record SendRateLimited(string Message, int RetryAfter) : SendError(Message);

/// <summary>The idempotency key was used for a different send within its lifetime: nothing was sent.</summary>
public sealed record IdempotencyKeyReused(string Message, string IdempotencyKey) : SendError(Message);

/// <summary>What became of a send: its message as delivered (the echo the spine carries), or why not.</summary>
public sealed record SendOutcome(InboxEvent? Delivered, SendError? Error)
{
    public static SendOutcome Sent(InboxEvent echo) => new(echo, null);

    public static SendOutcome Failed(SendError error) => new(null, error);
}

/// <summary>Meta's Send API refusals that are typed errors; any other is a GraphQL error.</summary>
public static class SendErrors
{
    public static SendError? FromMeta(GraphApiException error, MessagingWindow? window, bool humanAgent, DateTimeOffset now) => error switch
    {
        { IsOutsideMessagingWindow: true } => OutsideMessagingWindow.FromMeta(window, humanAgent, now),
        { IsRecipientUnavailable: true } => new RecipientUnavailable(error.Message),
        { IsRecipientUnknown: true } => new RecipientNotFound(error.Message),
        { IsRateLimit: true } => new SendRateLimited(error.Message, RetryAfterOf(error)),
        _ => null,
    };

    /// <summary>The governor's or the thread pacing's refusal, before anything was sent.</summary>
    public static SendError? FromGateway(GatewayError error)
        => error.Code == GatewayError.RateLimitedCode && error.Extensions?.TryGetValue("retryAfter", out var retryAfter) == true
            ? new SendRateLimited(error.Message, Convert.ToInt32(retryAfter, CultureInfo.InvariantCulture))
            : null;

    private static int RetryAfterOf(GraphApiException error)
    {
        var regain = error.Usage.BusinessUseCase.Values.SelectMany(entries => entries).Select(entry => entry.EstimatedTimeToRegainAccess)
            .DefaultIfEmpty(TimeSpan.FromSeconds(1)).Max();
        return GatewayError.RetryAfterSeconds(regain);
    }
}
