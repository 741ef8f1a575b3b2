namespace Gateway.Inbox;

/// <summary>Remembers the events already accepted, for a horizon and up to a capacity (oldest forgotten first). Not
/// thread-safe: its owner (<see cref="InboxIntake"/>) locks.</summary>
public sealed class EventDeduplicator(TimeSpan horizon, int capacity)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset SeenAt)> _order = new();

    /// <summary>Whether the key was seen within the horizon.</summary>
    public bool Seen(string key, DateTimeOffset now)
    {
        Forget(now);
        return _seen.Contains(key);
    }

    /// <summary>True the first time a key is seen within the horizon.</summary>
    public bool IsFirst(string key, DateTimeOffset now)
    {
        Forget(now);
        if (!_seen.Add(key))
        {
            return false;
        }
        _order.Enqueue((key, now));
        return true;
    }

    private void Forget(DateTimeOffset now)
    {
        while (_order.Count > 0 && (_order.Count >= capacity || now - _order.Peek().SeenAt > horizon))
        {
            _seen.Remove(_order.Dequeue().Key);
        }
    }
}
