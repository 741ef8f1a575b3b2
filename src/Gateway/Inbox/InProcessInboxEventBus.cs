namespace Gateway.Inbox;

/// <summary>The spine of a single instance (no Redis): the history in memory numbers each event, and every consumer runs
/// as it is published.</summary>
public sealed class InProcessInboxEventBus(InboxEventHistory history, InboxConsumers consumers) : IInboxEventBus
{
    /// <summary>One instance: its intake's deduplicator already decided, so every event is published.</summary>
    public async Task<bool[]> PublishFirstsAsync(IReadOnlyList<InboxEvent> events, TimeSpan horizon, CancellationToken cancellationToken)
    {
        foreach (var inboxEvent in events)
        {
            await PublishHereAsync(inboxEvent, cancellationToken);
        }
        return [.. events.Select(_ => true)];
    }

    /// <summary>Numbers the event in this instance's history and runs every consumer here (also the Redis spine's way while
    /// Redis is away).</summary>
    public async Task PublishHereAsync(InboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        var numbered = history.Number(inboxEvent);
        history.Record(numbered);
        await consumers.RunAsync(numbered, delivery: null, cancellationToken);
    }

    public Task<EventsSince> AfterAsync(string pageId, InboxEventId after) => Task.FromResult(history.After(pageId, after));
}
