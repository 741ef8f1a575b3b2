using System.Diagnostics.Metrics;

namespace Gateway.Telemetry;

/// <summary>The gateway's own metrics, on a meter from the host's <see cref="IMeterFactory"/>: each host (and each test's)
/// has its own, so tests read them with <c>MetricCollector</c> side by side.</summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Gateway";

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        UpstreamCalls = meter.CreateCounter<long>("gateway.upstream.calls", description: "Graph API calls by endpoint and outcome.");
        BatchSize = meter.CreateHistogram<int>("gateway.dataloader.batch_size", description: "Keys per DataLoader batch.");
        CacheHits = meter.CreateCounter<long>("gateway.dataloader.cache_hits", description: "Loads answered from the request's cache.");
        RateLimitWait = meter.CreateHistogram<double>("gateway.ratelimit.wait", "ms", "Time calls waited for their Page's turn.");
        WebhookEvents = meter.CreateCounter<long>("gateway.webhooks.events", description: "Webhook events by kind and outcome.");
        Subscribers = meter.CreateUpDownCounter<long>("gateway.subscriptions.active", description: "Active GraphQL subscriptions.");
        SubscriptionEventsResolved = meter.CreateCounter<long>("gateway.subscriptions.events_resolved", description: "Subscription events resolved (once per shared stream).");
        SlowSubscribersDisconnected = meter.CreateCounter<long>("gateway.subscriptions.slow_disconnected", description: "Subscribers disconnected because they stopped reading.");
        Sends = meter.CreateCounter<long>("gateway.sends", description: "Send API calls asked for, by kind (message or sender action) and outcome.");
        ArchiveEvents = meter.CreateCounter<long>("gateway.archive.events", description: "Inbox events by kind and what the message archive did with them.");
        ArchiveGraphReads = meter.CreateCounter<long>("gateway.archive.graph_reads", description: "Messages and conversations from Graph reads, by what the message archive did with them.");
        KeptResults = meter.CreateCounter<long>("gateway.response_cache.lookups", description: "Executed query results looked up, by outcome (hit or miss).");
    }

    /// <summary>Graph API calls, by endpoint (conversations, messages, node, ids, batch) and outcome.</summary>
    public Counter<long> UpstreamCalls { get; }

    public Histogram<int> BatchSize { get; }

    public Counter<long> CacheHits { get; }

    public Histogram<double> RateLimitWait { get; }

    /// <summary>Webhook events by kind and outcome: published, duplicate, or ignored (kinds the gateway does not publish).</summary>
    public Counter<long> WebhookEvents { get; }

    public UpDownCounter<long> Subscribers { get; }

    /// <summary>Subscription events resolved: once per event and stream, however many subscribers share the stream.</summary>
    public Counter<long> SubscriptionEventsResolved { get; }

    public Counter<long> SlowSubscribersDisconnected { get; }

    /// <summary>Messages and sender actions by kind (<c>message</c>, <c>mark_seen</c>, …) and outcome (<c>Sent</c>, or the typed
    /// error's name: <c>OutsideMessagingWindow</c>, <c>SendOutcomeUnknown</c>, …); duplicates of a key are not counted again.</summary>
    public Counter<long> Sends { get; }

    /// <summary>Inbox events by kind and outcome: archived; unresolved (their conversation could not be found); unknown_message
    /// (a reaction to or unsend of a message the archive does not hold); dropped (an in-process buffer overflowed).</summary>
    public Counter<long> ArchiveEvents { get; }

    /// <summary>Messages and conversations Graph reads gave the archive, by outcome: written, unchanged (written before as
    /// they are), dropped (the queue was full or the database away).</summary>
    public Counter<long> ArchiveGraphReads { get; }

    /// <summary>Lookups of executed query results (<c>Caching.ResponseCache</c>) by outcome: hit (answered without executing) or miss.</summary>
    public Counter<long> KeptResults { get; }
}
