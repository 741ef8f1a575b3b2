namespace Gateway.Inbox;

/// <summary>The spine of a single instance (no Redis): the history in memory numbers each event, and every consumer runs
/// as it is published.</summary>
public sealed class InProcessInboxEventBus(InboxEventHistory history, InboxConsumers consumers) : IInboxEventBus
{
    /// <summary>One instance: its intake's deduplicator already decided.</summary>
    public Task<bool> IsFirstAsync(InboxEvent inboxEvent, TimeSpan horizon) => Task.FromResult(true);

    public async Task PublishAsync(InboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        var numbered = history.Number(inboxEvent);
        history.Record(numbered);
        await consumers.RunAsync(numbered, delivery: null, cancellationToken);
    }

    public Task<EventsSince> AfterAsync(string pageId, InboxEventId after) => Task.FromResult(history.After(pageId, after));
}
