using System.ComponentModel.DataAnnotations;

namespace Gateway.Subscriptions;

/// <summary><c>GraphQL:Subscriptions</c>: limits of the WebSocket and SSE transports.</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "GraphQL:Subscriptions";

    /// <summary>A WebSocket that sends no <c>connection_init</c> within this time is closed with 4408.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages a connection may have waiting to be sent. A client that falls further behind (it stopped
    /// reading) is disconnected and everything it held is released, so it never delays anyone else. The default holds
    /// one full delivery (Meta sends up to 1,000 updates per POST); the queue only takes memory while it is used.</summary>
    [Range(1, 1_000_000)]
    public int OutboundBufferCapacity { get; set; } = 1_000;

    /// <summary>Operations one WebSocket may run at once; past it a <c>subscribe</c> is answered with an <c>error</c>
    /// (<c>TOO_MANY_SUBSCRIPTIONS</c>) and the connection stays open. An inbox frontend needs a handful.</summary>
    [Range(1, 100_000)]
    public int MaxOperationsPerConnection { get; set; } = 100;

    /// <summary>Larger WebSocket messages from a client close the connection (1009).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>How often an idle SSE stream sends a comment, so proxies keep it open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SseKeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);
}
