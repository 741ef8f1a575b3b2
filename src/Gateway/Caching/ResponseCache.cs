using System.Security.Cryptography;
using Gateway.Telemetry;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Gateway.Caching;

/// <summary>What identifies an executed result: a digest of the caller's credentials and of the request as sent (a digest,
/// so no token is kept as a key).</summary>
public readonly record struct ResponseKey(string Value)
{
    /// <summary>The credential headers (<c>Authorization</c>, <c>X-Api-Key</c>) decide what a caller may read and with which
    /// token; <paramref name="request"/> is the body of a POST or the query string of a GET.</summary>
    public static ResponseKey Of(string method, string? authorization, string? apiKey, ReadOnlySpan<byte> request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> separator = [0];
        foreach (var part in (ReadOnlySpan<string?>)[method, authorization, apiKey])
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(part ?? ""));
            hash.AppendData(separator);
        }
        hash.AppendData(request);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return new ResponseKey(Convert.ToBase64String(digest));
    }
}

/// <summary>
/// Executed query results, kept as the JSON sent, so that a repeated read costs a lookup instead of executing the document
/// again over the cached Graph answers. A result is kept only when all of it came from those answers, none of them out of
/// date, with no errors; for as long as the first of them would be served, and only until a webhook or a write invalidates
/// any of their tags on this instance (every instance hears every inbox event). In memory, per instance, bounded by
/// <see cref="GraphCacheOptions.ResponseCacheBytes"/>; the Graph answers beneath are what instances share.
/// </summary>
public sealed class ResponseCache : IDisposable
{
    private readonly GraphResultCache _graph;
    private readonly TimeProvider _time;
    private readonly GatewayMetrics _metrics;
    private readonly MemoryCache? _results;

    public ResponseCache(GraphResultCache graph, TimeProvider time, IOptions<GraphCacheOptions> options, GatewayMetrics metrics)
    {
        _graph = graph;
        _time = time;
        _metrics = metrics;
        if (options.Value is { Enabled: true, ResponseCacheBytes: > 0 } enabled)
        {
            _results = new MemoryCache(new MemoryCacheOptions { SizeLimit = enabled.ResponseCacheBytes });
        }
    }

    public bool Enabled => _results is not null;

    /// <summary>The JSON kept for <paramref name="key"/>, while nothing it was made of has changed.</summary>
    public byte[]? Find(ResponseKey key)
    {
        if (_results is null)
        {
            return null;
        }
        if (!_results.TryGetValue(key.Value, out KeptResult? kept) || kept is null)
        {
            _metrics.KeptResults.Add(1, new KeyValuePair<string, object?>("outcome", "miss"));
            return null;
        }
        if (_time.GetUtcNow() >= kept.ValidUntil || _graph.InvalidatedAt(kept.Tags) >= kept.AsOf)
        {
            _results.Remove(key.Value);
            _metrics.KeptResults.Add(1, new KeyValuePair<string, object?>("outcome", "miss"));
            return null;
        }
        _metrics.KeptResults.Add(1, new KeyValuePair<string, object?>("outcome", "hit"));
        return kept.Json;
    }

    /// <summary>Keeps <paramref name="json"/> when <paramref name="freshness"/> says it may be replayed: made only of cached
    /// Graph answers, none stale, and none invalidated since the oldest was asked (an invalidation during execution).</summary>
    public void Keep(ResponseKey key, byte[] json, ResponseFreshness freshness)
    {
        if (_results is null || !freshness.Replayable || freshness.StaleAge is not null || freshness.NotBefore is not null)
        {
            return;
        }
        var now = _time.GetUtcNow();
        // Made of no Graph answer at all (introspection, __typename): true until the schema changes, which is a restart.
        var asOf = freshness.OldestAnswer ?? now;
        var validUntil = freshness.ValidUntil ?? DateTimeOffset.MaxValue;
        var tags = freshness.Tags;
        if (validUntil <= now || _graph.InvalidatedAt(tags) >= asOf)
        {
            return;
        }
        using var entry = _results.CreateEntry(key.Value);
        entry.Value = new KeptResult(json, tags, asOf, validUntil);
        entry.Size = json.Length + key.Value.Length;
        // Only to let memory go: Find checks the moment on the gateway's clock.
        entry.AbsoluteExpirationRelativeToNow = validUntil == DateTimeOffset.MaxValue ? null : validUntil - now;
    }

    /// <summary>Forgets every kept result (with the Graph answers' own clear: a gateway then reads as a fresh one does).</summary>
    public void Clear() => _results?.Clear();

    public void Dispose() => _results?.Dispose();

    private sealed record KeptResult(byte[] Json, IReadOnlyList<string> Tags, DateTimeOffset AsOf, DateTimeOffset ValidUntil);
}
