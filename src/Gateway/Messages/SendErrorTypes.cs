using Gateway.Api;
using Gateway.Sending;
using GraphQL.Types;

namespace Gateway.Messages;

public sealed class OutsideMessagingWindowErrorType : ErrorGraphType<OutsideMessagingWindow>
{
    public OutsideMessagingWindowErrorType()
        : base("OutsideMessagingWindowError",
            "Meta's messaging window is closed: a Page may message a person for 24 hours after their last message, a human agent (tag `HUMAN_AGENT`) for 7 days. Nothing was sent.",
            error => error.Message)
    {
        Field<IsoDateTimeGraphType>("closedAt").Description("When the window this message needed closed; null when Meta refused a person this gateway never saw write.")
            .Resolve(context => context.Source.ClosedAt);
        Field<NonNullGraphType<BooleanGraphType>>("humanAgentTagAllowed")
            .Description("Whether the same message with the tag `HUMAN_AGENT` (a person answering, within 7 days) would be allowed now.")
            .Resolve(context => context.Source.HumanAgentAllowed);
        Field<IsoDateTimeGraphType>("humanAgentWindowClosesAt").Description("When the 7-day window of the tag `HUMAN_AGENT` closes (or closed).")
            .Resolve(context => context.Source.HumanAgentClosesAt);
    }
}

public sealed class RecipientUnavailableErrorType : ErrorGraphType<RecipientUnavailable>
{
    public RecipientUnavailableErrorType()
        : base("RecipientUnavailableError", "The person blocked the Page's messages or cannot be reached now (Meta's code 551). Nothing was sent.",
            error => error.Message)
    {
    }
}

public sealed class RecipientNotFoundErrorType : ErrorGraphType<RecipientNotFound>
{
    public RecipientNotFoundErrorType()
        : base("RecipientNotFoundError", "The Page has no conversation with this person. Nothing was sent.", error => error.Message)
    {
    }
}

public sealed class SendOutcomeUnknownErrorType : ErrorGraphType<SendOutcomeUnknown>
{
    public SendOutcomeUnknownErrorType()
        : base("SendOutcomeUnknownError",
            "The request reached, or may have reached, Meta, but its answer was lost: the message may have been delivered. With an `idempotencyKey`, ask again with the same key: it is never sent twice, and Meta's echo of the message settles the outcome.",
            error => error.Message)
    {
        Field<StringGraphType>("idempotencyKey").Description("The key to ask again with; null when the send had none.").Resolve(context => context.Source.IdempotencyKey);
    }
}

public sealed class SendRateLimitedErrorType : ErrorGraphType<SendRateLimited>
{
    public SendRateLimitedErrorType()
        : base("SendRateLimitedError",
            "The Page's Send API allowance (300 calls a second, 10 for audio and video) or its thread's has no room now. Nothing was sent.",
            error => error.Message)
    {
        Field<NonNullGraphType<IntGraphType>>("retryAfter").Description("Seconds to wait before sending again.").Resolve(context => context.Source.RetryAfter);
    }
}

public sealed class IdempotencyKeyReusedErrorType : ErrorGraphType<IdempotencyKeyReused>
{
    public IdempotencyKeyReusedErrorType()
        : base("IdempotencyKeyReusedError", "The `idempotencyKey` was used for a different message of this Page within its lifetime (24 hours). Nothing was sent.",
            error => error.Message)
    {
        // Nullable as SendOutcomeUnknownError's is: a selection asking both for `idempotencyKey` must see one shape.
        Field<StringGraphType>("idempotencyKey").Description("The key.").Resolve(context => context.Source.IdempotencyKey);
    }
}

public sealed class SendMessageErrorType() : ErrorUnionGraphType("SendMessageError", typeof(OutsideMessagingWindowErrorType),
    typeof(RecipientUnavailableErrorType), typeof(RecipientNotFoundErrorType), typeof(SendOutcomeUnknownErrorType), typeof(SendRateLimitedErrorType),
    typeof(IdempotencyKeyReusedErrorType));

/// <summary>What a sender action (typing, a reaction) can answer; marking a conversation seen needs no window.</summary>
public static class SenderActionErrors
{
    public static readonly Type[] WithWindow = [typeof(OutsideMessagingWindowErrorType), typeof(RecipientUnavailableErrorType),
        typeof(RecipientNotFoundErrorType), typeof(SendRateLimitedErrorType), typeof(SendOutcomeUnknownErrorType)];

    public static readonly Type[] WithoutWindow = WithWindow[1..];
}
