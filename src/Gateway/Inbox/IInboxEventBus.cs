namespace Gateway.Inbox;

/// <summary>
/// The inbox event spine: each event is published once (whichever instance Meta posted it to), numbered in its Page's
/// history, and handed to every registered <see cref="IInboxEventConsumer"/>. In-process, or through Redis across instances
/// (chosen once at registration: <see cref="InboxServices.AddInboxEvents"/>).
/// </summary>
public interface IInboxEventBus
{
    /// <summary>Numbers each event no instance published before (Meta redelivers for 36 hours, to any instance) in its Page's
    /// history, in the order given, and delivers it to the consumers; says, for each, whether it was published.</summary>
    Task<bool[]> PublishFirstsAsync(IReadOnlyList<InboxEvent> events, TimeSpan horizon, CancellationToken cancellationToken);

    /// <summary>The Page's events after <paramref name="after"/>, for a subscriber that resumes.</summary>
    Task<EventsSince> AfterAsync(string pageId, InboxEventId after);
}

/// <summary>Reacts to inbox events, each Page's in their order. A consumer that throws is logged; the others still run.</summary>
public interface IInboxEventConsumer
{
    Task ConsumeAsync(InboxEvent inboxEvent, CancellationToken cancellationToken);
}

/// <summary>A once-per-cluster consumer that takes what it reads from Redis a batch at a time (the archive writes a batch in
/// one transaction, where an event at a time would cost a commit each). The batch is acknowledged when the call returns; when
/// it throws, the whole batch stays pending and is read again. In-process it is handed events one at a time.</summary>
public interface IInboxEventBatchConsumer : IInboxEventConsumer
{
    Task ConsumeAsync(IReadOnlyList<InboxEvent> events, CancellationToken cancellationToken);
}

/// <summary>How a consumer sees the events of several gateway instances sharing one Redis.</summary>
public enum InboxDelivery
{
    /// <summary>On every instance (this instance's subscribers, its memory cache).</summary>
    EveryInstance,

    /// <summary>Once in the cluster, on whichever instance takes it (the archive); retried until it succeeds.</summary>
    OncePerCluster,
}

/// <summary>Told when a Page's history has a hole no resumption can fill (events published while Redis was away).</summary>
public interface IInboxHistoryGapListener
{
    /// <summary>The Pages followed here, whose events this instance must not miss.</summary>
    IReadOnlyCollection<string> PagesFollowed { get; }

    void HistoryGap(string pageId);
}
