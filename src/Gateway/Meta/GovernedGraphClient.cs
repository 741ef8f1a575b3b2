using Gateway.Caching;
using Gateway.Api;
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
/// The Graph API client as a request sees it. A read is first looked up in the <see cref="GraphResultCache"/> (where
/// identical reads in flight share one call); a call that goes out spends from the operation's call budget and is
/// charged to the Page its token belongs to, whose <see cref="PageCallGovernor"/> prices each attempt (see
/// <see cref="PageAllowanceHandler"/>). <c>ids=</c> and batch reads are split into requests the Page's window can
/// afford. Every answer's usage headers feed the governor. One instance per request.
/// </summary>
public sealed class GovernedGraphClient(
    IMetaGraphClient inner, PageCallGovernor governor, TokenPages tokenPages, GraphResultCache cache, ResponseFreshness freshness,
    IOptions<UpstreamBudgetOptions> budget)
    : IMetaGraphClient
{
    private int _callsLeft = budget.Value.MaxUpstreamCallsPerOperation;

    /// <summary>The most ids or batch items one request carries, so that a request never costs more than the Page's
    /// window holds. Loaders batch by this.</summary>
    public int MaxItemsPerCall => governor.MaxCallsPerRequest;

    public Task<GraphResponse<GraphList<Conversation>>> GetConversationsAsync(
        string accessToken, string pageId, ConversationsQuery query, CancellationToken cancellationToken = default)
        => ReadAsync("conversations", accessToken, RelativeUrl.Conversations(pageId, query), [CacheTags.Listing(pageId)], messageDetails: false,
            () => inner.GetConversationsAsync(accessToken, pageId, query, cancellationToken), cancellationToken);

    public Task<GraphResponse<GraphList<Message>>> GetMessagesAsync(
        string accessToken, string conversationId, PageQuery query, CancellationToken cancellationToken = default)
        => ReadAsync("messages", accessToken, RelativeUrl.Edge(conversationId, "messages", query), [CacheTags.Object(conversationId)],
            messageDetails: false, () => inner.GetMessagesAsync(accessToken, conversationId, query, cancellationToken), cancellationToken);

    public Task<GraphResponse<T>> GetNodeAsync<T>(string accessToken, string id, FieldList? fields, CancellationToken cancellationToken = default)
        => ReadAsync("node", accessToken, RelativeUrl.Node(id, fields), [CacheTags.Object(id)], messageDetails: typeof(T) == typeof(Message),
            () => inner.GetNodeAsync<T>(accessToken, id, fields, cancellationToken), cancellationToken);

    public async Task<GraphResponse<IReadOnlyDictionary<string, T>>> GetByIdsAsync<T>(
        string accessToken, IReadOnlyCollection<string> ids, FieldList? fields, CancellationToken cancellationToken = default)
    {
        // Sorted, so that the same ids asked in any order are the same cached read.
        var chunks = await Task.WhenAll(ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Chunk(MaxItemsPerCall).Select(chunk =>
            ReadAsync("ids", accessToken, RelativeUrl.Ids(chunk, fields), chunk.Select(CacheTags.Object).ToList(), messageDetails: typeof(T) == typeof(Message),
                () => inner.GetByIdsAsync<T>(accessToken, chunk, fields, cancellationToken), cancellationToken)));
        var merged = chunks.SelectMany(chunk => chunk.Value).ToDictionary(StringComparer.Ordinal);
        return new(merged, UsageHeaders.Combine(chunks.Select(chunk => chunk.Usage)));
    }

    /// <summary>Batches carry pages behind cursors and per-item fallbacks: not cached.</summary>
    public async Task<GraphResponse<IReadOnlyList<BatchItemResult>>> BatchAsync(
        string accessToken, IReadOnlyList<BatchRequest> requests, CancellationToken cancellationToken = default)
    {
        var pageId = (await PageOfAsync("batch", accessToken, cancellationToken)).PageId;
        var chunks = await Task.WhenAll(requests.Chunk(MaxItemsPerCall).Select(chunk =>
            CallAsync("batch", pageId, () => inner.BatchAsync(accessToken, chunk, cancellationToken))));
        return new(chunks.SelectMany(chunk => chunk.Value).ToList(), UsageHeaders.Combine(chunks.Select(chunk => chunk.Usage)));
    }

    private async Task<GraphResponse<T>> ReadAsync<T>(string endpoint, string accessToken, string request, IReadOnlyList<string> tags,
        bool messageDetails, Func<Task<GraphResponse<T>>> call, CancellationToken cancellationToken)
    {
        var owner = await PageOfAsync(endpoint, accessToken, cancellationToken);
        var value = await cache.GetOrFetchAsync(new CachedRead(owner.CacheScope, request, tags, messageDetails),
            async _ => (await CallAsync(endpoint, owner.PageId, call)).Value, freshness, cancellationToken);
        return new(value, GraphUsage.None);
    }

    /// <summary>One HTTP call for <paramref name="pageId"/> (the Page the token belongs to): the operation's budget counts
    /// it once, the Page's governor prices each attempt.</summary>
    private async Task<GraphResponse<T>> CallAsync<T>(string endpoint, string pageId, Func<Task<GraphResponse<T>>> call)
    {
        if (Interlocked.Decrement(ref _callsLeft) < 0)
        {
            throw new GatewayError("UPSTREAM_BUDGET_EXCEEDED",
                $"This operation reached its budget of {budget.Value.MaxUpstreamCallsPerOperation} Graph API calls; ask for fewer or smaller connections.",
                new Dictionary<string, object?> { ["budget"] = budget.Value.MaxUpstreamCallsPerOperation });
        }
        using var charge = PageAllowanceHandler.ChargeTo(pageId);
        try
        {
            var response = await call();
            governor.Observe(pageId, response.Usage, wasRateLimited: false);
            Count(endpoint, "ok");
            return response;
        }
        catch (GraphApiException error)
        {
            governor.Observe(pageId, error.Usage, error.IsRateLimit);
            Count(endpoint, GatewayError.FromGraph(error).Code ?? "error");
            throw;
        }
    }

    private async ValueTask<TokenPage> PageOfAsync(string endpoint, string accessToken, CancellationToken cancellationToken)
    {
        try
        {
            return await tokenPages.PageOfAsync(accessToken, cancellationToken);
        }
        catch (GraphApiException error)
        {
            Count(endpoint, GatewayError.FromGraph(error).Code ?? "error");
            throw;
        }
    }

    private static void Count(string endpoint, string outcome)
        => GatewayTelemetry.UpstreamCalls.Add(1, new("endpoint", endpoint), new("outcome", outcome));
}
