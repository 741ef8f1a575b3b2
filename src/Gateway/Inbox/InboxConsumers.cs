namespace Gateway.Inbox;

/// <summary>A consumer's registration: the type and how it sees a cluster's events.</summary>
public sealed record InboxConsumerRegistration(Type ConsumerType, InboxDelivery Delivery);

/// <summary>The registered consumers, in registration order (cache invalidation before subscribers, say), and running them.</summary>
public sealed partial class InboxConsumers(IServiceProvider services, IEnumerable<InboxConsumerRegistration> registrations, ILogger<InboxConsumers> logger)
{
    private readonly IReadOnlyList<(InboxDelivery Delivery, IInboxEventConsumer Consumer)> _consumers =
        registrations.Select(r => (r.Delivery, (IInboxEventConsumer)services.GetRequiredService(r.ConsumerType))).ToList();

    /// <summary>The consumers that see every event once in the cluster, by name (their Redis consumer group's).</summary>
    public IReadOnlyList<(string Name, IInboxEventConsumer Consumer)> OncePerCluster
        => _consumers.Where(c => c.Delivery == InboxDelivery.OncePerCluster).Select(c => (c.Consumer.GetType().Name, c.Consumer)).ToList();

    /// <summary>Runs the event through the consumers of <paramref name="delivery"/> (or all, when null).</summary>
    public async Task RunAsync(InboxEvent inboxEvent, InboxDelivery? delivery, CancellationToken cancellationToken)
    {
        foreach (var (kind, consumer) in _consumers)
        {
            if (delivery is not null && kind != delivery)
            {
                continue;
            }
            await RunOneAsync(consumer, inboxEvent, cancellationToken);
        }
    }

    /// <summary>Runs one consumer; false when it failed (logged).</summary>
    public Task<bool> RunOneAsync(IInboxEventConsumer consumer, InboxEvent inboxEvent, CancellationToken cancellationToken)
        => RunAsync(consumer, () => consumer.ConsumeAsync(inboxEvent, cancellationToken), inboxEvent, cancellationToken);

    /// <summary>Runs a batch consumer on a batch; false when it failed (logged).</summary>
    public Task<bool> RunBatchAsync(IInboxEventBatchConsumer consumer, IReadOnlyList<InboxEvent> events, CancellationToken cancellationToken)
        => events.Count == 0 ? Task.FromResult(true)
            : RunAsync(consumer, () => consumer.ConsumeAsync(events, cancellationToken), events[0], cancellationToken);

    private async Task<bool> RunAsync(IInboxEventConsumer consumer, Func<Task> consume, InboxEvent first, CancellationToken cancellationToken)
    {
        try
        {
            await consume();
            return true;
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            Log.Failed(logger, consumer.GetType().Name, first.Kind.ToString(), first.PageId, error);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "The inbox event consumer {Consumer} failed on a {Kind} event of Page {PageId}.")]
        public static partial void Failed(ILogger logger, string consumer, string kind, string pageId, Exception error);
    }
}
