namespace Gateway.Inbox;

/// <summary>
/// Holds events per conversation (a Page, a platform and a person) until they are due, and releases each conversation's
/// events in timestamp order. An event waits for its due time, and for every earlier event of its conversation
/// still held, so a late delivery of an older event is published before the newer ones it arrived after.
/// </summary>
public sealed class ReorderBuffer
{
    private readonly Dictionary<(string Page, MetaGraph.Platform Platform, string Person), List<Held>> _held = [];

    public int Count { get; private set; }

    public void Add(InboxEvent inboxEvent, DateTimeOffset due)
    {
        var key = (inboxEvent.PageId, inboxEvent.Platform, inboxEvent.PersonId);
        if (!_held.TryGetValue(key, out var list))
        {
            _held[key] = list = [];
        }
        var held = new Held(inboxEvent, due);
        // After every event with the same or an earlier timestamp: equal timestamps keep their arrival order.
        var index = list.FindLastIndex(h => h.Event.Timestamp <= inboxEvent.Timestamp) + 1;
        list.Insert(index, held);
        Count++;
    }

    /// <summary>The earliest time an event becomes due, or null when nothing is held.</summary>
    public DateTimeOffset? NextDue => Count == 0 ? null : _held.Values.Where(list => list.Count > 0).Min(list => list[0].Due);

    /// <summary>Events whose turn has come, conversation by conversation, oldest first.</summary>
    public List<InboxEvent> TakeDue(DateTimeOffset now)
    {
        var released = new List<InboxEvent>();
        foreach (var (key, list) in _held)
        {
            var taken = 0;
            while (taken < list.Count && list[taken].Due <= now)
            {
                released.Add(list[taken].Event);
                taken++;
            }
            list.RemoveRange(0, taken);
            Count -= taken;
            if (list.Count == 0)
            {
                _held.Remove(key);
            }
        }
        return released;
    }

    private sealed record Held(InboxEvent Event, DateTimeOffset Due);
}
