using Gateway.Inbox;

namespace Gateway.Archive.Events;

/// <summary>
/// The archive's consumer of the inbox event spine when instances share Redis: once in the cluster, a read of the stream
/// of all events at a time, each batch written in one go. When the database is away it throws, so the batch stays pending
/// in Redis (the consumer group's) and is read again until it is written: events received meanwhile are archived when the
/// database is back, and a killed instance's batch is taken over by another.
/// </summary>
public sealed class InboxArchiver(InboxEventArchive archive) : IInboxEventBatchConsumer
{
    public Task ConsumeAsync(InboxEvent inboxEvent, CancellationToken cancellationToken) => archive.ArchiveAsync([inboxEvent], cancellationToken);

    public Task ConsumeAsync(IReadOnlyList<InboxEvent> events, CancellationToken cancellationToken) => archive.ArchiveAsync(events, cancellationToken);
}
