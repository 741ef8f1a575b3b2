namespace Gateway.Subscriptions;

/// <summary><c>GraphQL:Subscriptions</c>: limits of the WebSocket and SSE transports.</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "GraphQL:Subscriptions";

    /// <summary>A WebSocket that sends no <c>connection_init</c> within this time is closed with 4408.</summary>
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages a connection may have waiting to be sent. A client that falls further behind (it stopped
    /// reading) is disconnected and everything it held is released, so it never delays anyone else. The default holds
    /// one full delivery (Meta sends up to 1,000 updates per POST); the queue only takes memory while it is used.</summary>
    public int OutboundBufferCapacity { get; set; } = 1_000;

    /// <summary>Operations one WebSocket may run at once; past it a <c>subscribe</c> is answered with an <c>error</c>
    /// (<c>TOO_MANY_SUBSCRIPTIONS</c>) and the connection stays open. An inbox frontend needs a handful.</summary>
    public int MaxOperationsPerConnection { get; set; } = 100;

    /// <summary>Larger WebSocket messages from a client close the connection (1009).</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Events kept per Page for subscribers that reconnect with the last event id they saw (<c>after</c>, or SSE's
    /// <c>Last-Event-ID</c>); in a Redis stream per Page when Redis is configured, in memory otherwise.</summary>
    public int EventHistoryPerPage { get; set; } = 1_000;

    /// <summary>How long an event is kept for resuming subscribers (within <see cref="EventHistoryPerPage"/>).</summary>
    public TimeSpan EventHistoryWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often an idle SSE stream sends a comment, so proxies keep it open.</summary>
    public TimeSpan SseKeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);
}
