using Gateway.Schema;
using Gateway.Telemetry;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.Meta;

public sealed class UpstreamBudgetOptions
{
    public const string Section = "Gateway:Budget";

    /// <summary>Graph API calls one GraphQL operation may make; past it, the remaining fields fail.</summary>
    public int MaxUpstreamCallsPerOperation { get; set; } = 50;
}

/// <summary>
/// The Graph API client as a request sees it: every call first spends from the operation's call budget and waits for
/// the Page's turn under its rate limit, and every answer's usage headers feed the limiter. One instance per request.
/// </summary>
public sealed class GovernedGraphClient(IMetaGraphClient inner, PageRateLimiter limiter, IOptions<UpstreamBudgetOptions> budget)
    : IMetaGraphClient
{
    private int _callsLeft = budget.Value.MaxUpstreamCallsPerOperation;

    public Task<GraphResponse<GraphPage<Conversation>>> GetConversationsAsync(
        string accessToken, string pageId, ConversationsQuery query, CancellationToken cancellationToken = default)
        => CallAsync("conversations", accessToken, 1, 1, () => inner.GetConversationsAsync(accessToken, pageId, query, cancellationToken), cancellationToken);

    public Task<GraphResponse<GraphPage<Message>>> GetMessagesAsync(
        string accessToken, string conversationId, PageQuery query, CancellationToken cancellationToken = default)
        => CallAsync("messages", accessToken, 1, 1, () => inner.GetMessagesAsync(accessToken, conversationId, query, cancellationToken), cancellationToken);

    public Task<GraphResponse<T>> GetNodeAsync<T>(string accessToken, string id, FieldList? fields, CancellationToken cancellationToken = default)
        => CallAsync("node", accessToken, 1, 1, () => inner.GetNodeAsync<T>(accessToken, id, fields, cancellationToken), cancellationToken);

    public Task<GraphResponse<IReadOnlyDictionary<string, T>>> GetByIdsAsync<T>(
        string accessToken, IReadOnlyCollection<string> ids, FieldList? fields, CancellationToken cancellationToken = default)
        => CallAsync("ids", accessToken, HttpCalls(ids.Count), ids.Count,
            () => inner.GetByIdsAsync<T>(accessToken, ids, fields, cancellationToken), cancellationToken);

    public Task<GraphResponse<IReadOnlyList<BatchItemResult>>> BatchAsync(
        string accessToken, IReadOnlyList<BatchRequest> requests, CancellationToken cancellationToken = default)
        => CallAsync("batch", accessToken, HttpCalls(requests.Count), requests.Count,
            () => inner.BatchAsync(accessToken, requests, cancellationToken), cancellationToken);

    /// <param name="httpCalls">Round trips, which the operation's budget counts.</param>
    /// <param name="metaCalls">Calls as Meta counts them for rate limits: one per id or batch item.</param>
    private async Task<GraphResponse<T>> CallAsync<T>(
        string endpoint, string accessToken, int httpCalls, int metaCalls, Func<Task<GraphResponse<T>>> call, CancellationToken cancellationToken)
    {
        if (Interlocked.Add(ref _callsLeft, -httpCalls) < 0)
        {
            throw new GatewayError("UPSTREAM_BUDGET_EXCEEDED",
                $"This operation reached its budget of {budget.Value.MaxUpstreamCallsPerOperation} Graph API calls; ask for fewer or smaller connections.",
                new Dictionary<string, object?> { ["budget"] = budget.Value.MaxUpstreamCallsPerOperation });
        }
        await limiter.AcquireAsync(accessToken, metaCalls, cancellationToken);
        try
        {
            var response = await call();
            limiter.Observe(accessToken, response.Usage, wasRateLimited: false);
            Count(endpoint, "ok", httpCalls);
            return response;
        }
        catch (GraphApiException error)
        {
            limiter.Observe(accessToken, error.Usage, error.IsRateLimit);
            Count(endpoint, GatewayError.FromGraph(error).Code ?? "error", httpCalls);
            throw;
        }
    }

    private static void Count(string endpoint, string outcome, int calls)
        => GatewayTelemetry.UpstreamCalls.Add(calls, new("endpoint", endpoint), new("outcome", outcome));

    private static int HttpCalls(int items) => Math.Max(1, (items + 49) / 50);
}
