using Gateway.Callers;
using Gateway.Inbox;
using Gateway.Telemetry;
using GraphQL;
using GraphQL.Execution;

namespace Gateway.Subscriptions;

/// <summary>
/// Resolves each subscription event in a scope of its own, as the subscriber: fresh loaders and a fresh call budget per
/// event (a long subscription never runs out, and nothing is cached across events), and the subscriber's credentials,
/// since no HTTP request is in flight when a webhook event arrives.
/// </summary>
public sealed class SubscriberExecutionStrategy(IServiceScopeFactory scopes, GatewayMetrics metrics) : SubscriptionExecutionStrategy
{
    /// <summary>The result extension naming the event a subscription result was made from.</summary>
    public const string EventIdExtension = "eventId";

    /// <summary>The <see cref="ExecutionOptions.UserContext"/> key holding the <see cref="SubscriberCredentials"/>.</summary>
    public const string SubscriberKey = "subscriber";

    /// <summary>The <see cref="ExecutionOptions.UserContext"/> key holding SSE's <c>Last-Event-ID</c>, when the client sent one.</summary>
    public const string LastEventIdKey = "lastEventId";

    protected override async ValueTask<ExecutionResult> ProcessDataAsync(GraphQL.Execution.ExecutionContext context, ExecutionNode node, object? value)
    {
        if (value is InboxEvent { IsHistoryGap: true })
        {
            // The stream ends after this: the events that followed cannot all be delivered.
            return new ExecutionResult { Errors = [new Api.GatewayError("EVENT_HISTORY_EXPIRED",
                "Some of this Page's events were published while instances could not share them, so this subscription cannot be made whole: read the inbox again, then subscribe again without `after`.")] };
        }
        await using var scope = scopes.CreateAsyncScope();
        if (context.UserContext.TryGetValue(SubscriberKey, out var subscriber) && subscriber is SubscriberCredentials credentials)
        {
            scope.ServiceProvider.GetRequiredService<CallerCredentials>().UseSubscriber(credentials);
        }
        context.RequestServices = scope.ServiceProvider;
        if (value is InboxEvent { Replayed: false } live)
        {
            // Described as of the event: no Graph answer from before it arrived.
            scope.ServiceProvider.GetRequiredService<Caching.ResponseFreshness>().NotBefore = live.ReceivedAt;
        }
        metrics.SubscriptionEventsResolved.Add(1);
        var result = await base.ProcessDataAsync(context, node, value);
        if (value is InboxEvent { EventId: { } eventId })
        {
            // What a client that reconnects passes back as `after` (and what SSE sends as the event's id).
            result.Extensions ??= [];
            result.Extensions[EventIdExtension] = eventId.ToString();
        }
        return result;
    }
}
