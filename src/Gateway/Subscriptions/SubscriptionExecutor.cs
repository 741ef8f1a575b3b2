using Gateway.Callers;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;

namespace Gateway.Subscriptions;

/// <summary>Executes an operation that arrived over WebSocket or SSE as its subscriber, in a scope of its own; a subscription
/// identical to one already running (same operation, same credentials) joins its stream (<see cref="SharedSubscriptions"/>).</summary>
public sealed class SubscriptionExecutor(IServiceScopeFactory scopes, SharedSubscriptions shared)
{
    public Task<ExecutionResult> ExecuteAsync(GraphQLRequest request, SubscriberCredentials subscriber, CancellationToken cancellationToken,
        string? lastEventId = null)
        => shared.KeyOf(request, subscriber, lastEventId) is { } key
            // The stream outlives the subscriber that started it: its execution is no one subscriber's to cancel.
            ? shared.ExecuteAsync(key, () => ExecuteAloneAsync(request, subscriber, CancellationToken.None, null), cancellationToken)
            : ExecuteAloneAsync(request, subscriber, cancellationToken, lastEventId);

    private async Task<ExecutionResult> ExecuteAloneAsync(GraphQLRequest request, SubscriberCredentials subscriber, CancellationToken cancellationToken,
        string? lastEventId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<CallerCredentials>().UseSubscriber(subscriber);
        return await services.GetRequiredService<IDocumentExecuter<ISchema>>().ExecuteAsync(new ExecutionOptions
        {
            Query = request.Query,
            DocumentId = request.DocumentId,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            RequestServices = services,
            User = subscriber.User,
            UserContext = new Dictionary<string, object?>
            {
                [SubscriberExecutionStrategy.SubscriberKey] = subscriber,
                [SubscriberExecutionStrategy.LastEventIdKey] = lastEventId,
            },
            CancellationToken = cancellationToken,
        });
    }
}
