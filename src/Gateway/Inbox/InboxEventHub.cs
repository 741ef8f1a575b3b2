using Gateway.Telemetry;
using MetaGraph;

namespace Gateway.Inbox;

/// <summary>
/// The live feed: this instance's subscriptions, handed each inbox event (an every-instance consumer of the spine), keyed
/// by Page: a subscriber of one Page is never handed another's events. Publishing never waits for a subscriber; each
/// transport bounds what a subscriber may fall behind. A gap in a Page's history ends that Page's subscriptions, each told
/// so (<see cref="InboxEvent.IsHistoryGap"/>).
/// </summary>
public sealed class InboxEventHub(GatewayMetrics metrics) : IInboxEventConsumer, IInboxHistoryGapListener
{
    private readonly Lock _gate = new();
    private Dictionary<string, Subscription[]> _byPage = new(StringComparer.Ordinal);
    private int _count;
    private int _sharing;

    /// <summary>Active subscriptions, all Pages together, counting each subscriber of a shared stream.</summary>
    public int SubscriptionCount => Volatile.Read(ref _count) + Volatile.Read(ref _sharing);

    /// <summary>The events of one Page (and platform, when given) that <paramref name="filter"/> accepts.</summary>
    public IObservable<InboxEvent> Events(string pageId, Platform? platform, Func<InboxEvent, bool> filter)
        => new Stream(this, pageId, platform, filter);

    public Task ConsumeAsync(InboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        Publish(inboxEvent);
        return Task.CompletedTask;
    }

    public IReadOnlyCollection<string> PagesFollowed => Volatile.Read(ref _byPage).Keys;

    public void HistoryGap(string pageId)
    {
        if (!Volatile.Read(ref _byPage).TryGetValue(pageId, out var subscriptions))
        {
            return;
        }
        var gap = InboxEvent.HistoryGapIn(pageId);
        foreach (var subscription in subscriptions)
        {
            subscription.Observer.OnNext(gap);
            subscription.Observer.OnCompleted();
        }
    }

    public void Publish(InboxEvent inboxEvent)
    {
        // Copy-on-write arrays: publishing reads a snapshot without taking the lock.
        if (!Volatile.Read(ref _byPage).TryGetValue(inboxEvent.PageId, out var subscriptions))
        {
            return;
        }
        foreach (var subscription in subscriptions)
        {
            if ((subscription.Platform is null || subscription.Platform == inboxEvent.Platform) && subscription.Filter(inboxEvent))
            {
                subscription.Observer.OnNext(inboxEvent);
            }
        }
    }

    /// <summary>A subscriber joined (1) or left (-1) a stream another subscriber's subscription here already carries
    /// (shared subscriptions).</summary>
    public void CountSharedSubscriber(int delta)
    {
        Interlocked.Add(ref _sharing, delta);
        metrics.Subscribers.Add(delta);
    }

    private void Add(Subscription subscription)
    {
        lock (_gate)
        {
            var next = new Dictionary<string, Subscription[]>(_byPage, StringComparer.Ordinal);
            next[subscription.PageId] = [.. next.GetValueOrDefault(subscription.PageId, []), subscription];
            Volatile.Write(ref _byPage, next);
            _count++;
        }
        metrics.Subscribers.Add(1);
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (!_byPage.TryGetValue(subscription.PageId, out var current) || !current.Contains(subscription))
            {
                return;
            }
            var next = new Dictionary<string, Subscription[]>(_byPage, StringComparer.Ordinal);
            var remaining = current.Where(s => s != subscription).ToArray();
            if (remaining.Length == 0)
            {
                next.Remove(subscription.PageId);
            }
            else
            {
                next[subscription.PageId] = remaining;
            }
            Volatile.Write(ref _byPage, next);
            _count--;
        }
        metrics.Subscribers.Add(-1);
    }

    /// <summary>A class, not a record: two subscriptions are never equal.</summary>
    private sealed class Subscription(string pageId, Platform? platform, Func<InboxEvent, bool> filter, IObserver<InboxEvent> observer)
    {
        public string PageId { get; } = pageId;
        public Platform? Platform { get; } = platform;
        public Func<InboxEvent, bool> Filter { get; } = filter;
        public IObserver<InboxEvent> Observer { get; } = observer;
    }

    private sealed class Stream(InboxEventHub hub, string pageId, Platform? platform, Func<InboxEvent, bool> filter) : IObservable<InboxEvent>
    {
        public IDisposable Subscribe(IObserver<InboxEvent> observer)
        {
            var subscription = new Subscription(pageId, platform, filter, observer);
            hub.Add(subscription);
            return new Unsubscriber(() => hub.Remove(subscription));
        }
    }

    private sealed class Unsubscriber(Action remove) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                remove();
            }
        }
    }
}
