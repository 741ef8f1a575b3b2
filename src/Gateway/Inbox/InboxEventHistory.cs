using Microsoft.Extensions.Options;

namespace Gateway.Inbox;

/// <summary>Whether a resumption point can be honoured.</summary>
public enum Resumption
{
    /// <summary>Every event after it is at hand.</summary>
    Complete,
    /// <summary>Events after it were already dropped (too old, too many, or from before this history began): a resuming
    /// subscriber cannot be made whole.</summary>
    Expired,
    /// <summary>It is newer than any event given out: no event has that id, and resuming after it would silently skip
    /// events to come.</summary>
    NeverIssued,
}

/// <summary>What a Page's history holds after an event id.</summary>
public sealed record EventsSince(Resumption Resumption, IReadOnlyList<InboxEvent> Events);

/// <summary>
/// The recent events of each Page that reached this instance's subscribers, bounded by count and age
/// (<see cref="InboxOptions.EventHistoryPerPage"/>, <see cref="InboxOptions.EventHistoryWindow"/>). Without
/// Redis it is the history subscribers resume from, and it numbers the events; with Redis it stands in while Redis is away.
/// </summary>
public sealed class InboxEventHistory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PageEvents> _pages = new(StringComparer.Ordinal);
    private readonly InboxOptions _options;
    private readonly TimeProvider _time;
    private readonly InboxEventId _began;
    private InboxEventId _newest;

    public InboxEventHistory(IOptions<InboxOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        // Events before this history began were never seen here: a subscriber resuming from one may have missed some.
        _began = _newest = new InboxEventId(time.GetUtcNow().ToUnixTimeMilliseconds(), 0);
    }

    /// <summary>The event with this instance's next id, for when no Redis stream numbers it.</summary>
    public InboxEvent Number(InboxEvent inboxEvent)
    {
        lock (_gate)
        {
            _newest = InboxEventId.Next(_newest, _time.GetUtcNow());
            return inboxEvent with { EventId = _newest };
        }
    }

    /// <summary>Whether this event (by id) was recorded here already.</summary>
    public bool Holds(InboxEvent inboxEvent)
    {
        lock (_gate)
        {
            return inboxEvent.EventId is { } id && _pages.TryGetValue(inboxEvent.PageId, out var page) && page.Events.Any(e => e.EventId == id);
        }
    }

    public void Record(InboxEvent inboxEvent)
    {
        var id = inboxEvent.EventId ?? throw new ArgumentException("Only numbered events are recorded.", nameof(inboxEvent));
        lock (_gate)
        {
            if (id > _newest)
            {
                _newest = id;
            }
            if (!_pages.TryGetValue(inboxEvent.PageId, out var page))
            {
                _pages[inboxEvent.PageId] = page = new PageEvents(_began);
            }
            page.Events.Enqueue(inboxEvent);
            Trim(page);
        }
    }

    /// <summary>A hole in the Page's history (events published while Redis was away): no resumption from before it is
    /// whole. False when this gap was recorded already.</summary>
    public bool RecordGap(string pageId, InboxEventId at)
    {
        lock (_gate)
        {
            if (!_pages.TryGetValue(pageId, out var page))
            {
                _pages[pageId] = page = new PageEvents(_began);
            }
            if (at <= page.NewestDropped)
            {
                return false;
            }
            page.NewestDropped = at;
            _newest = at > _newest ? at : _newest;
            return true;
        }
    }

    public EventsSince After(string pageId, InboxEventId after)
    {
        lock (_gate)
        {
            if (after > _newest)
            {
                return new EventsSince(Resumption.NeverIssued, []);
            }
            if (!_pages.TryGetValue(pageId, out var page))
            {
                return new EventsSince(after >= _began ? Resumption.Complete : Resumption.Expired, []);
            }
            Trim(page);
            return new EventsSince(after >= page.NewestDropped ? Resumption.Complete : Resumption.Expired, [.. page.Events.Where(e => e.EventId > after)]);
        }
    }

    private void Trim(PageEvents page)
    {
        var oldestKept = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.EventHistoryWindow.TotalMilliseconds;
        while (page.Events.TryPeek(out var oldest) && (page.Events.Count > _options.EventHistoryPerPage || oldest.EventId!.Value.Milliseconds < oldestKept))
        {
            page.NewestDropped = page.Events.Dequeue().EventId!.Value;
        }
    }

    private sealed class PageEvents(InboxEventId began)
    {
        public Queue<InboxEvent> Events { get; } = new();

        /// <summary>A subscriber that saw this event or a later one has missed nothing dropped.</summary>
        public InboxEventId NewestDropped { get; set; } = began;
    }
}
