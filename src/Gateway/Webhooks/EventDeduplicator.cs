namespace Gateway.Webhooks;

/// <summary>Remembers the events already published, for a horizon and up to a capacity (oldest forgotten first).
/// Used by the single webhook processor only, so it needs no lock.</summary>
public sealed class EventDeduplicator(TimeSpan horizon, int capacity)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset SeenAt)> _order = new();

    public int Count => _seen.Count;

    /// <summary>True the first time a key is seen within the horizon.</summary>
    public bool IsFirst(string key, DateTimeOffset now)
    {
        while (_order.Count > 0 && (_order.Count >= capacity || now - _order.Peek().SeenAt > horizon))
        {
            _seen.Remove(_order.Dequeue().Key);
        }
        if (!_seen.Add(key))
        {
            return false;
        }
        _order.Enqueue((key, now));
        return true;
    }
}
