
namespace Gateway.Inbox;

/// <summary>
/// A subscriber's events when it resumes after an event id: what the Page's history holds since then, followed by the live
/// events, each once and in order. Live events are taken from before the history is read, so none falls between the two;
/// those the history already holds are skipped by id.
/// </summary>
internal sealed class ResumedStream : IObservable<InboxEvent>, IObserver<InboxEvent>, IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<InboxEvent> _pending = [];
    private IDisposable? _live;
    private IObserver<InboxEvent>? _observer;
    private InboxEventId _delivered;
    private bool _disposed;

    private ResumedStream(InboxEventId after) => _delivered = after;

    /// <summary>Listens to the live events first, then reads the history (<paramref name="readHistory"/>, null when it
    /// no longer reaches back to <paramref name="after"/>): the stream, or null when it cannot be made whole.</summary>
    public static async Task<ResumedStream?> StartAsync(IObservable<InboxEvent> live, InboxEventId after,
        Func<Task<IReadOnlyList<InboxEvent>?>> readHistory, CancellationToken cancellationToken)
    {
        var stream = new ResumedStream(after);
        stream._live = live.Subscribe(stream);
        // The operation ends without subscribing when its connection closes first: what was taken is released then.
        cancellationToken.Register(stream.Dispose);
        try
        {
            if (await readHistory() is not { } missed)
            {
                stream.Dispose();
                return null;
            }
            stream.Replay(missed);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public IDisposable Subscribe(IObserver<InboxEvent> observer)
    {
        lock (_gate)
        {
            if (_observer is not null)
            {
                throw new InvalidOperationException("A resumed stream has one subscriber.");
            }
            _observer = observer;
            foreach (var inboxEvent in _pending)
            {
                Deliver(inboxEvent);
            }
            _pending.Clear();
        }
        return this;
    }

    void IObserver<InboxEvent>.OnNext(InboxEvent value)
    {
        lock (_gate)
        {
            if (_observer is null)
            {
                _pending.Add(value);
            }
            else
            {
                Deliver(value);
            }
        }
    }

    void IObserver<InboxEvent>.OnError(Exception error) => _observer?.OnError(error);

    void IObserver<InboxEvent>.OnCompleted() => _observer?.OnCompleted();

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _pending.Clear();
        }
        _live?.Dispose();
    }

    /// <summary>Puts the history ahead of the live events that arrived while it was read.</summary>
    private void Replay(IReadOnlyList<InboxEvent> missed)
    {
        lock (_gate)
        {
            _pending.InsertRange(0, missed.Select(inboxEvent => inboxEvent with { Replayed = true }));
        }
    }

    private void Deliver(InboxEvent inboxEvent)
    {
        if (_disposed)
        {
            return;
        }
        if (inboxEvent.IsHistoryGap)
        {
            _observer!.OnNext(inboxEvent);
            return;
        }
        // An event the history and the live feed both hold, or one from before the resumption point, is not repeated.
        if (inboxEvent.EventId is not { } id || id <= _delivered)
        {
            return;
        }
        _delivered = id;
        _observer!.OnNext(inboxEvent);
    }
}
