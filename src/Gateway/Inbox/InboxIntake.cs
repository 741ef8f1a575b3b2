using System.Threading.Channels;
using Gateway.Telemetry;
using Microsoft.Extensions.Options;

namespace Gateway.Inbox;

/// <summary>
/// Where inbox events enter the spine. A delivery's events are accepted all or none: each Page has a bounded queue and a
/// worker of its own, so a Page flooded with events (or waiting on its allowance) never holds another Page's, and a delivery
/// is refused (Meta retries it) only when one of its Pages' queues is full. A Page's worker drops what another instance
/// already published, holds events within <see cref="InboxOptions.ReorderWindow"/> to order each conversation's, and
/// publishes what is due at once with what the webhook says; a new person's conversation is looked up after.
/// </summary>
public sealed partial class InboxIntake(
    IInboxEventBus bus, PersonConversations conversations, IOptions<InboxOptions> options, TimeProvider time, GatewayMetrics metrics,
    ILogger<InboxIntake> logger)
    : IHostedService
{
    private readonly InboxOptions _options = options.Value;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;
    private readonly Lock _gate = new();
    private readonly EventDeduplicator _deduplicator = new(options.Value.DedupeHorizon, options.Value.DedupeCapacity);
    private readonly Dictionary<string, PageWorker> _pages = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Accepts a delivery's events (those not accepted before), or none of them when a Page's queue has no room.</summary>
    public bool TryAccept(IReadOnlyList<InboxEvent> events)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var inDelivery = new HashSet<string>(StringComparer.Ordinal);
            var fresh = events.Where(e => inDelivery.Add(e.DedupeKey) && !_deduplicator.Seen(e.DedupeKey, now)).ToList();
            foreach (var page in fresh.GroupBy(e => e.PageId))
            {
                if (WorkerOf(page.Key).Waiting + page.Count() > _options.PageQueueCapacity)
                {
                    return false;
                }
            }
            foreach (var inboxEvent in events.Except(fresh))
            {
                Count(inboxEvent.Kind.ToString(), "duplicate");
            }
            foreach (var inboxEvent in fresh)
            {
                _deduplicator.IsFirst(inboxEvent.DedupeKey, now);
                WorkerOf(inboxEvent.PageId).Enqueue(inboxEvent with { ReceivedAt = now });
            }
            return true;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        Task[] running;
        lock (_gate)
        {
            running = [.. _pages.Values.Select(page => page.Running)];
        }
        await Task.WhenAll(running).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private PageWorker WorkerOf(string pageId)
    {
        if (!_pages.TryGetValue(pageId, out var worker))
        {
            _pages[pageId] = worker = new PageWorker(this);
        }
        return worker;
    }

    /// <summary>Publishes, in their order, the events no other instance published already, each with what is known of its
    /// conversation; a new person's conversation is looked up after.</summary>
    private async Task PublishAsync(IReadOnlyList<InboxEvent> events, CancellationToken cancellationToken)
    {
        // A message the gateway sent itself comes with its conversation when the send knew it.
        var known = events.Select(inboxEvent => inboxEvent with
        {
            Conversation = inboxEvent.Conversation ?? conversations.Known(inboxEvent.PageId, inboxEvent.Platform, inboxEvent.PersonId),
        }).ToList();
        var published = await bus.PublishFirstsAsync(known, _options.DedupeHorizon, cancellationToken);
        for (var index = 0; index < known.Count; index++)
        {
            var inboxEvent = known[index];
            Count(inboxEvent.Kind.ToString(), published[index] ? "published" : "duplicate");
            if (published[index] && inboxEvent.Conversation is null)
            {
                conversations.LookUpInBackground(inboxEvent.PageId, inboxEvent.Platform, inboxEvent.PersonId);
            }
        }
    }

    private void Count(string kind, string outcome)
        => metrics.WebhookEvents.Add(1, new("kind", kind), new("outcome", outcome));

    /// <summary>One Page's queue and the task that publishes it in order, a backlog at a time.</summary>
    private sealed class PageWorker
    {
        /// <summary>How much of a backlog goes to the bus at once (with Redis, one round trip).</summary>
        private const int MaxEventsPerPublish = 100;

        private readonly InboxIntake _owner;
        private readonly Channel<InboxEvent> _queue = Channel.CreateUnbounded<InboxEvent>(new UnboundedChannelOptions { SingleReader = true });
        private readonly ReorderBuffer _held = new();
        private int _waiting;

        public PageWorker(InboxIntake owner)
        {
            _owner = owner;
            Running = Task.Run(RunAsync);
        }

        public Task Running { get; }

        /// <summary>Accepted and not yet published.</summary>
        public int Waiting => Volatile.Read(ref _waiting);

        public void Enqueue(InboxEvent inboxEvent)
        {
            Interlocked.Increment(ref _waiting);
            _queue.Writer.TryWrite(inboxEvent);
        }

        private async Task RunAsync()
        {
            var stopping = _owner._stopping.Token;
            var window = _owner._options.ReorderWindow;
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    while (_queue.Reader.TryRead(out var inboxEvent))
                    {
                        _held.Add(inboxEvent, inboxEvent.ReceivedAt + window);
                    }
                    foreach (var due in _held.TakeDue(_owner._time.GetUtcNow()).Chunk(MaxEventsPerPublish))
                    {
                        await PublishAsync(due, stopping);
                    }
                    await WaitForWorkAsync(stopping);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        private async Task PublishAsync(InboxEvent[] due, CancellationToken stopping)
        {
            try
            {
                await _owner.PublishAsync(due, stopping);
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                // A bad event must not stop the Page's worker.
                Log.Failed(_owner._logger, error);
            }
            finally
            {
                Interlocked.Add(ref _waiting, -due.Length);
            }
        }

        /// <summary>Waits for an event or for the next held event's due time.</summary>
        private async Task WaitForWorkAsync(CancellationToken stopping)
        {
            if (_held.NextDue is not { } due)
            {
                await _queue.Reader.WaitToReadAsync(stopping);
                return;
            }
            var delay = due - _owner._time.GetUtcNow();
            if (delay <= TimeSpan.Zero)
            {
                return;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(delay);
            try
            {
                await _queue.Reader.WaitToReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Inbox events could not be published.")]
        public static partial void Failed(ILogger logger, Exception error);
    }
}
