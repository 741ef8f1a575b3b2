using Gateway.Api;
using Gateway.Caching;
using Gateway.Telemetry;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.Upstream;

/// <summary>
/// The Graph API client as a request sees it. A read is first looked up in the <see cref="GraphResultCache"/> (where
/// identical reads in flight share one call); a call that goes out spends from the operation's call budget and is
/// charged to the Page its token belongs to, whose <see cref="PageCallGovernor"/> prices each attempt (see
/// <see cref="PageAllowanceHandler"/>). <c>ids=</c> and batch reads are split into requests the Page's window can
/// afford. Every answer's usage headers feed the governor. Sends go through the Send API's own pipeline (never retried) and
/// are priced against the Page's Send allowances, never against its reads'. One instance per request.
/// </summary>
public sealed class GovernedGraphClient(
    IMetaGraphClient inner, IMetaSendClient sender, PageCallGovernor governor, TokenPages tokenPages, GraphResultCache cache,
    ResponseFreshness freshness, IOptions<UpstreamBudgetOptions> budget, GatewayMetrics metrics)
    : IMetaGraphClient, IMetaSendClient
{
    private int _callsLeft = budget.Value.MaxUpstreamCallsPerOperation;

    /// <summary>Background work (a scope of its own) sets this: its calls never wait in line ahead of readers.</summary>
    public CallPriority Priority { get; set; } = CallPriority.Foreground;

    /// <summary>A bulk read no reader shares (an inbox sync) turns this off: it must see Graph as it is now, never an answer
    /// the cache kept (fail-safe serves the previous answer when a refresh is slow), and its answers would only crowd out
    /// the readers'.</summary>
    public bool UsesCache { get; set; } = true;

    /// <summary>The most ids or batch items one request of <paramref name="api"/> carries, so that a request never costs
    /// more than the Page's window of that API holds. Loaders batch by this.</summary>
    public int MaxItemsPerCall(MetaApi api) => governor.MaxCallsPerRequest(api);

    public Task<GraphResponse<GraphList<Conversation>>> GetConversationsAsync(
        string accessToken, string pageId, ConversationsQuery query, CancellationToken cancellationToken = default)
        => ReadAsync("conversations", accessToken, RelativeUrl.Conversations(pageId, query), [CacheTags.Listing(pageId)], CachedKind.Listing,
            MetaApi.Conversations, () => inner.GetConversationsAsync(accessToken, pageId, query, cancellationToken), cancellationToken);

    public Task<GraphResponse<GraphList<Message>>> GetMessagesAsync(
        string accessToken, string conversationId, PageQuery query, CancellationToken cancellationToken = default)
        => ReadAsync("messages", accessToken, RelativeUrl.Edge(conversationId, "messages", query), [CacheTags.Object(conversationId)],
            CachedKind.Listing, MetaApi.Conversations, () => inner.GetMessagesAsync(accessToken, conversationId, query, cancellationToken), cancellationToken);

    public Task<GraphResponse<T>> GetNodeAsync<T>(string accessToken, string id, FieldList? fields, CancellationToken cancellationToken = default)
        => ReadAsync("node", accessToken, RelativeUrl.Node(id, fields), [CacheTags.Object(id)], KindOf<T>(), MetaApis.OfRead<T>(),
            () => inner.GetNodeAsync<T>(accessToken, id, fields, cancellationToken), cancellationToken,
            typeof(T) == typeof(Participant) ? value => ProfilePictureUrls.ExpiresAt((value as Participant)?.ProfilePic) : null);

    public async Task<GraphResponse<IReadOnlyDictionary<string, T>>> GetByIdsAsync<T>(
        string accessToken, IReadOnlyCollection<string> ids, FieldList? fields, CancellationToken cancellationToken = default)
    {
        var api = MetaApis.OfRead<T>();
        // Sorted, so that the same ids asked in any order are the same cached read.
        var chunks = await Task.WhenAll(ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Chunk(MaxItemsPerCall(api)).Select(chunk =>
            ReadAsync("ids", accessToken, RelativeUrl.Ids(chunk, fields), chunk.Select(CacheTags.Object).ToList(), KindOf<T>(), api,
                () => inner.GetByIdsAsync<T>(accessToken, chunk, fields, cancellationToken), cancellationToken,
                typeof(T) == typeof(Participant) ? EarliestPictureExpiry : null)));
        var merged = chunks.SelectMany(chunk => chunk.Value).ToDictionary(StringComparer.Ordinal);
        return new(merged, UsageHeaders.Combine(chunks.Select(chunk => chunk.Usage)));
    }

    /// <summary>Batches carry pages behind cursors and per-item fallbacks: not cached. One API per batch (Meta prices each item
    /// against its own API; the gateway never mixes them).</summary>
    public async Task<GraphResponse<IReadOnlyList<BatchItemResult>>> BatchAsync(
        string accessToken, IReadOnlyList<BatchRequest> requests, CancellationToken cancellationToken = default)
    {
        freshness.Untracked();
        var pageId = (await PageOfAsync("batch", accessToken, cancellationToken)).PageId;
        var api = requests.Count > 0 ? requests[0].Api : MetaApi.Conversations;
        var chunks = await Task.WhenAll(requests.Chunk(MaxItemsPerCall(api)).Select(chunk =>
            CallAsync("batch", pageId, api, () => inner.BatchAsync(accessToken, chunk, cancellationToken), cancellationToken)));
        return new(chunks.SelectMany(chunk => chunk.Value).ToList(), UsageHeaders.Combine(chunks.Select(chunk => chunk.Usage)));
    }

    /// <summary>Never cached: a write. Charged to the Page the token belongs to, on the Send API's allowances, before it leaves
    /// (outside the call's own time limit, which then measures Meta alone: a send that timed out had left).</summary>
    public async Task<GraphResponse<SendAnswer>> SendAsync(string accessToken, string pageId, SendRequest request, CancellationToken cancellationToken = default)
    {
        var owner = (await PageOfAsync("send", accessToken, cancellationToken)).PageId;
        using var turn = await governor.AcquireAsync(owner, request.Api, 1, Priority, cancellationToken);
        return await CallAsync("send", owner, request.Api, () => sender.SendAsync(accessToken, pageId, request, cancellationToken),
            cancellationToken, turnTaken: true);
    }

    /// <summary>The Page a token belongs to (configured tokens are known; a forwarded one is asked once, then remembered).</summary>
    public async ValueTask<string> PageIdOfAsync(string accessToken, CancellationToken cancellationToken)
        => (await PageOfAsync("node", accessToken, cancellationToken)).PageId;

    private static CachedKind KindOf<T>()
        => typeof(T) == typeof(Message) ? CachedKind.MessageDetails : typeof(T) == typeof(Participant) ? CachedKind.Profile : CachedKind.Listing;

    /// <summary>Profiles are kept only while every picture URL among them still works.</summary>
    private static DateTimeOffset? EarliestPictureExpiry<T>(IReadOnlyDictionary<string, T> profiles)
        => profiles.Values.OfType<Participant>().Select(profile => ProfilePictureUrls.ExpiresAt(profile.ProfilePic)).Min();

    private async Task<GraphResponse<T>> ReadAsync<T>(string endpoint, string accessToken, string request, IReadOnlyList<string> tags,
        CachedKind kind, MetaApi api, Func<Task<GraphResponse<T>>> call, CancellationToken cancellationToken, Func<T, DateTimeOffset?>? expiresAt = null)
    {
        var owner = await PageOfAsync(endpoint, accessToken, cancellationToken);
        if (!UsesCache)
        {
            freshness.Untracked();
            return await CallAsync(endpoint, owner.PageId, api, call, cancellationToken);
        }
        var value = await cache.GetOrFetchAsync(new CachedRead(owner.CacheScope, request, tags, kind),
            async fetching => (await CallAsync(endpoint, owner.PageId, api, call, fetching)).Value, freshness, cancellationToken, expiresAt);
        return new(value, GraphUsage.None);
    }

    /// <summary>One HTTP call for <paramref name="pageId"/> (the Page the token belongs to): the operation's budget counts
    /// it once, the Page's governor prices each attempt.</summary>
    /// <param name="turnTaken">The caller holds the call's turn already (a send takes it before the call's time limit starts).</param>
    private async Task<GraphResponse<T>> CallAsync<T>(string endpoint, string pageId, MetaApi api, Func<Task<GraphResponse<T>>> call,
        CancellationToken cancellationToken, bool turnTaken = false)
    {
        if (Interlocked.Decrement(ref _callsLeft) < 0)
        {
            throw new GatewayError("UPSTREAM_BUDGET_EXCEEDED",
                $"This operation reached its budget of {budget.Value.MaxUpstreamCallsPerOperation} Graph API calls; ask for fewer or smaller connections.",
                new Dictionary<string, object?> { ["budget"] = budget.Value.MaxUpstreamCallsPerOperation });
        }
        if (Priority == CallPriority.Background && !turnTaken)
        {
            // Its wait, however long, before the HTTP call: inside it, the attempt timeout would take the wait for an outage.
            await governor.WaitForBackgroundTurnAsync(pageId, api, 1, cancellationToken);
        }
        using var charge = PageAllowanceHandler.ChargeTo(pageId, Priority);
        try
        {
            var response = await call();
            governor.Observe(pageId, api, response.Usage, wasRateLimited: false);
            Count(endpoint, "ok");
            return response;
        }
        catch (GraphApiException error)
        {
            governor.Observe(pageId, api, error.Usage, error.IsRateLimit);
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

    private void Count(string endpoint, string outcome)
        => metrics.UpstreamCalls.Add(1, new("endpoint", endpoint), new("outcome", outcome));
}
