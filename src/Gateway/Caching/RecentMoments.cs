using System.Collections.Concurrent;

namespace Gateway.Caching;

/// <summary>The latest moment something happened to each of many keys (a tag invalidated, a read that failed), for as
/// long as it can matter (<paramref name="horizon"/>); older records are dropped as new ones come.</summary>
internal sealed class RecentMoments(TimeProvider time, TimeSpan horizon)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _latest = new(StringComparer.Ordinal);

    public void Record(string key)
    {
        var now = time.GetUtcNow();
        _latest[key] = now;
        if (_latest.Count > PruneAbove)
        {
            foreach (var (known, at) in _latest)
            {
                if (now - at > horizon)
                {
                    _latest.TryRemove(known, out _);
                }
            }
        }
    }

    public DateTimeOffset? Of(string key) => _latest.TryGetValue(key, out var at) ? at : null;

    /// <summary>The latest moment of any of <paramref name="keys"/>, or null.</summary>
    public DateTimeOffset? LatestOf(IReadOnlyList<string> keys)
    {
        DateTimeOffset? latest = null;
        foreach (var key in keys)
        {
            if (_latest.TryGetValue(key, out var at) && (latest is null || at > latest))
            {
                latest = at;
            }
        }
        return latest;
    }
}
