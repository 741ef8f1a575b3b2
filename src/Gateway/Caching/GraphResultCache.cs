using MetaGraph;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

namespace Gateway.Caching;

/// <summary>What an answer holds, which says how long it lives.</summary>
public enum CachedKind
{
    /// <summary>Listings, message pages and conversations: <see cref="GraphCacheOptions.ListingLifetime"/>.</summary>
    Listing,
    /// <summary>A message's details: <see cref="GraphCacheOptions.MessageDetailsLifetime"/>.</summary>
    MessageDetails,
    /// <summary>User profiles: <see cref="GraphCacheOptions.ProfileLifetime"/>, within their picture URLs' expiry.</summary>
    Profile,
}

/// <summary>What a cached Graph read is: its key (who may see it and what was asked) and the tags it is invalidated by.</summary>
/// <param name="Scope">Who may be served the answer: a Page whose token the server holds, or else one forwarded token.</param>
/// <param name="Request">The Graph request: path, fields and paging, as sent.</param>
public sealed record CachedRead(string Scope, string Request, IReadOnlyList<string> Tags, CachedKind Kind)
{
    public string Key => Scope + "|" + Request;
}

/// <summary>
/// Graph answers cached by FusionCache (in memory; with Redis as second level and backplane when configured): identical
/// reads in flight share one Graph call (stampede protection), hot entries refresh in the background before they
/// expire, and while Graph is rate-limited or down the last good answer is served up to
/// <see cref="GraphCacheOptions.MaxStaleness"/>. Webhooks invalidate by <see cref="CacheTags"/>.
/// </summary>
public sealed class GraphResultCache
{
    private readonly IFusionCache _cache;
    private readonly TimeProvider _time;
    private readonly GraphCacheOptions _options;
    /// <summary>By kind, and whether a reader waits for a refresh (resolving an inbox event) or takes the previous answer.</summary>
    private readonly Dictionary<(CachedKind Kind, bool Waiting), FusionCacheEntryOptions> _entryOptions = [];
    private readonly RecentMoments _invalidations;
    private readonly RecentMoments _failedRefreshes;
    private readonly RecentMoments _writes;

    public GraphResultCache(IFusionCache cache, TimeProvider time, IOptions<GraphCacheOptions> options)
    {
        _cache = cache;
        _time = time;
        _options = options.Value;
        foreach (var (kind, lifetime) in (ReadOnlySpan<(CachedKind, TimeSpan)>)[(CachedKind.Listing, _options.ListingLifetime),
            (CachedKind.MessageDetails, _options.MessageDetailsLifetime), (CachedKind.Profile, _options.ProfileLifetime)])
        {
            _entryOptions[(kind, false)] = EntryOptions(lifetime, _options.RefreshWait);
            _entryOptions[(kind, true)] = EntryOptions(lifetime, Timeout.InfiniteTimeSpan);
        }
        // Past this, no answer fetched before an invalidation can still be served.
        var horizon = new[] { _options.ListingLifetime, _options.MessageDetailsLifetime, _options.ProfileLifetime }.Max() + _options.MaxStaleness;
        _invalidations = new RecentMoments(time, horizon);
        _failedRefreshes = new RecentMoments(time, horizon);
        _writes = new RecentMoments(time, horizon);
    }

    /// <param name="expiresAt">When the answer stops being usable whatever its lifetime (a signed URL in it expires), if it says.</param>
    public async Task<T> GetOrFetchAsync<T>(CachedRead read, Func<CancellationToken, Task<T>> fetch, ResponseFreshness freshness,
        CancellationToken cancellationToken, Func<T, DateTimeOffset?>? expiresAt = null)
    {
        if (!_options.Enabled)
        {
            freshness.Untracked();
            return await fetch(cancellationToken);
        }
        // Resolving an inbox event, or reading what this gateway wrote: wait for the refresh an invalidation started, never
        // take the answer from before it.
        var notBefore = Later(freshness.NotBefore, _writes.LatestOf(read.Tags));
        var entryOptions = _entryOptions[(read.Kind, notBefore is not null)];
        var answer = await _cache.GetOrSetAsync<CachedAnswer<T>>(read.Key, async (context, token) =>
        {
            CachedAnswer<T> asked;
            try
            {
                asked = await AskAsync(fetch, token);
            }
            catch
            {
                // Fail-safe may serve the previous answer in its place: it then says Graph was unavailable.
                _failedRefreshes.Record(read.Key);
                throw;
            }
            if (Lifetime(asked, entryOptions.Duration, expiresAt) is var lifetime && lifetime != entryOptions.Duration)
            {
                context.Options.Duration = lifetime;
            }
            return asked;
        }, entryOptions, read.Tags, cancellationToken);
        if (answer.FetchedAt < notBefore)
        {
            // Still older than the event (its invalidation has not reached this instance yet, or a call that left before the
            // event came back after it): asked again, and kept for the next readers.
            answer = await AskAsync(fetch, cancellationToken);
            await _cache.SetAsync(read.Key, answer, entryOptions, read.Tags, cancellationToken);
        }
        freshness.Saw(read.Tags, answer.FetchedAt, answer.FetchedAt + Lifetime(answer, entryOptions.Duration, expiresAt), _time.GetUtcNow(),
            _invalidations.LatestOf(read.Tags), _failedRefreshes.Of(read.Key));
        return answer.Refusal is { } refusal ? throw refusal.ToException() : answer.Value;
    }

    /// <summary>An answer's lifetime: its kind's, shortened to while it still works when it says it expires (an hour's margin,
    /// since a client uses a signed URL some time after reading it).</summary>
    private static TimeSpan Lifetime<T>(CachedAnswer<T> answer, TimeSpan lifetime, Func<T, DateTimeOffset?>? expiresAt)
        => expiresAt is not null && answer.Refusal is null && expiresAt(answer.Value) is { } expiry && expiry - answer.FetchedAt < lifetime
            ? Max(expiry - answer.FetchedAt - TimeSpan.FromHours(1), TimeSpan.FromMinutes(1))
            : lifetime;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>When a webhook or a write last invalidated any of <paramref name="tags"/> on this instance, if one did.</summary>
    public DateTimeOffset? InvalidatedAt(IReadOnlyList<string> tags) => _invalidations.LatestOf(tags);

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null || b > a ? b : a;

    private async Task<CachedAnswer<T>> AskAsync<T>(Func<CancellationToken, Task<T>> fetch, CancellationToken cancellationToken)
    {
        // As of when it was asked: an invalidation while the call is in flight is newer than the answer.
        var asked = _time.GetUtcNow();
        try
        {
            return new CachedAnswer<T>(await fetch(cancellationToken), asked);
        }
        catch (GraphApiException error) when (!error.IsTransient && !error.IsRateLimit)
        {
            // Meta's definite "no" (deleted, not found, not allowed) is an answer, not an outage: kept as one, so fail-safe
            // never serves the last good answer in its place, and a webhook's invalidation drops it like any other.
            return new CachedAnswer<T>(default!, asked, GraphRefusal.Of(error));
        }
    }

    /// <summary>A conversation changed (a new message, an echo, a read): its own answers and the Page's listings go.</summary>
    public async Task ConversationChangedAsync(string pageId, string conversationId, CancellationToken cancellationToken = default)
    {
        await ListingsChangedAsync(pageId, cancellationToken);
        await ObjectChangedAsync(conversationId, cancellationToken);
    }

    /// <summary>This gateway changed a conversation (it sent a message; the conversation may not be known yet): its answers and
    /// the Page's listings go, and on this instance readers then wait for an answer newer than the write instead of being
    /// given the one from before it while the refresh runs (read your own writes).</summary>
    public async Task WrittenAsync(string pageId, string? conversationId, CancellationToken cancellationToken = default)
    {
        _writes.Record(CacheTags.Listing(pageId));
        if (conversationId is null)
        {
            await ListingsChangedAsync(pageId, cancellationToken);
            return;
        }
        _writes.Record(CacheTags.Object(conversationId));
        await ConversationChangedAsync(pageId, conversationId, cancellationToken);
    }

    /// <summary>This gateway changed a message (a reaction): as <see cref="WrittenAsync"/>, for the answers holding it.</summary>
    public Task MessageWrittenAsync(string messageId, CancellationToken cancellationToken = default)
    {
        _writes.Record(CacheTags.Object(messageId));
        return ObjectChangedAsync(messageId, cancellationToken);
    }

    /// <summary>Something in a Page's inbox changed, in a conversation not known yet (a new person): its listings go.</summary>
    public Task ListingsChangedAsync(string pageId, CancellationToken cancellationToken = default)
        => InvalidateAsync(CacheTags.Listing(pageId), cancellationToken);

    /// <summary>A conversation or message changed (a reaction, an unsend; a conversation found after its event): the
    /// answers holding it go, listings stay.</summary>
    public Task ObjectChangedAsync(string id, CancellationToken cancellationToken = default)
        => InvalidateAsync(CacheTags.Object(id), cancellationToken);

    /// <summary>Drops the tag's answers (FusionCache keeps them as fallbacks while their refresh runs) and remembers when,
    /// so an answer from before it that is still served says so.</summary>
    private Task InvalidateAsync(string tag, CancellationToken cancellationToken)
    {
        _invalidations.Record(tag);
        return _cache.RemoveByTagAsync(tag, token: cancellationToken).AsTask();
    }

    /// <param name="refreshWait">How long a reader waits for a refresh before it is given the previous answer.</param>
    private FusionCacheEntryOptions EntryOptions(TimeSpan lifetime, TimeSpan refreshWait) => new()
    {
        Duration = lifetime,
        EagerRefreshThreshold = _options.EagerRefreshThreshold,
        IsFailSafeEnabled = true,
        FailSafeMaxDuration = lifetime + _options.MaxStaleness,
        // After a failure the stale answer is served this long before Graph is asked again.
        FailSafeThrottleDuration = TimeSpan.FromSeconds(1),
        FactorySoftTimeout = refreshWait,
    };

    /// <summary>An answer and when Graph gave it: a value, or Graph's refusal of the request.</summary>
    public sealed record CachedAnswer<T>(T Value, DateTimeOffset FetchedAt, GraphRefusal? Refusal = null);

    /// <summary>What a Graph error says, kept so it travels through Redis like any answer.</summary>
    public sealed record GraphRefusal(int HttpStatus, int Code, int? Subcode, string? Type, string Message, string? UserTitle, string? UserMessage)
    {
        public static GraphRefusal Of(GraphApiException error)
            => new(error.HttpStatus, error.Code, error.Subcode, error.Type, error.Message, error.UserTitle, error.UserMessage);

        public GraphApiException ToException() => new(HttpStatus, Code, Subcode, Type, Message, fbTraceId: null, isTransient: false, UserTitle, UserMessage);
    }
}
