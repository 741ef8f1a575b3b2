using System.ComponentModel.DataAnnotations;

namespace Gateway.Inbox;

/// <summary><c>Inbox</c>: the event spine's bounds.</summary>
public sealed class InboxOptions
{
    public const string Section = "Inbox";

    /// <summary>Events kept per Page for subscribers that reconnect with the last event id they saw (<c>after</c>, or SSE's
    /// <c>Last-Event-ID</c>); in a Redis stream per Page when Redis is configured, in memory otherwise.</summary>
    [Range(1, 1_000_000)]
    public int EventHistoryPerPage { get; set; } = 1_000;

    /// <summary>How long an event is kept for resuming subscribers (within <see cref="EventHistoryPerPage"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan EventHistoryWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Events accepted per Page and not yet published. A delivery that would overflow a Page's queue is answered
    /// 503 (Meta retries it later); other Pages' deliveries are not affected.</summary>
    [Range(1, 10_000_000)]
    public int PageQueueCapacity { get; set; } = 10_000;

    /// <summary>How long an event is remembered to drop its redeliveries (Meta retries for up to 36 hours) ...</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan DedupeHorizon { get; set; } = TimeSpan.FromHours(36);

    /// <summary>... and how many are remembered at most, so memory stays bounded; the oldest go first.</summary>
    [Range(1, 100_000_000)]
    public int DedupeCapacity { get; set; } = 100_000;

    /// <summary>How long an event waits for earlier ones of the same conversation that arrive in a later delivery. Events
    /// of one delivery are always ordered; zero publishes each delivery at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ReorderWindow { get; set; } = TimeSpan.Zero;

    /// <summary>How often a once-per-cluster consumer (the archive) looks for new events in Redis when it found none.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ConsumerGroupPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);
}
