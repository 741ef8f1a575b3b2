using Gateway.Callers;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;

namespace Gateway.Subscriptions;

/// <summary>Executes an operation that arrived over WebSocket or SSE as its subscriber, in a scope of its own.</summary>
public sealed class SubscriptionExecutor(IServiceScopeFactory scopes)
{
    public async Task<ExecutionResult> ExecuteAsync(GraphQLRequest request, SubscriberCredentials subscriber, CancellationToken cancellationToken, string? lastEventId = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<CallerCredentials>().UseSubscriber(subscriber);
        return await services.GetRequiredService<IDocumentExecuter<ISchema>>().ExecuteAsync(new ExecutionOptions
        {
            Query = request.Query,
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
