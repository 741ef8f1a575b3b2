using System.Collections.Concurrent;

namespace Gateway.Caching;

/// <summary>When each cache tag was last invalidated, for as long as an answer from before it could still be served
/// (<paramref name="horizon"/>); older records are dropped as new ones come.</summary>
internal sealed class TagInvalidations(TimeProvider time, TimeSpan horizon)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _latest = new(StringComparer.Ordinal);

    public void Record(string tag)
    {
        var now = time.GetUtcNow();
        _latest[tag] = now;
        if (_latest.Count > PruneAbove)
        {
            foreach (var (key, at) in _latest)
            {
                if (now - at > horizon)
                {
                    _latest.TryRemove(key, out _);
                }
            }
        }
    }

    /// <summary>The latest invalidation of any of <paramref name="tags"/>, or null.</summary>
    public DateTimeOffset? Latest(IReadOnlyList<string> tags)
    {
        DateTimeOffset? latest = null;
        foreach (var tag in tags)
        {
            if (_latest.TryGetValue(tag, out var at) && (latest is null || at > latest))
            {
                latest = at;
            }
        }
        return latest;
    }
}
