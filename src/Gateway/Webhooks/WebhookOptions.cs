namespace Gateway.Webhooks;

/// <summary><c>Meta:Webhooks</c>. Signatures are checked with <c>Meta:AppSecret</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Meta:Webhooks";

    /// <summary>What the Meta app's webhook settings say as "Verify token"; the handshake fails without it.</summary>
    public string VerifyToken { get; set; } = "";

    public string Path { get; set; } = "/webhooks/meta";

    /// <summary>Larger deliveries are refused with 413 (Meta sends at most 1,000 updates per POST).</summary>
    public int MaxBodyBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Deliveries read at once. A delivery is read whole before its signature can be checked, so this bounds the
    /// memory unsigned senders can hold (this many times <see cref="MaxBodyBytes"/>); past it the endpoint answers 503,
    /// which Meta retries.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 16;

    /// <summary>How long one delivery's body may take to arrive; a sender that holds it back is answered 408.</summary>
    public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries accepted but not yet processed; past it the endpoint answers 503 and Meta retries.</summary>
    public int QueueCapacity { get; set; } = 1_000;

    /// <summary>How long an event is remembered to drop its redeliveries (Meta retries for up to 36 hours) ...</summary>
    public TimeSpan DedupeHorizon { get; set; } = TimeSpan.FromHours(36);

    /// <summary>... and how many are remembered at most, so memory stays bounded; the oldest go first.</summary>
    public int DedupeCapacity { get; set; } = 100_000;

    /// <summary>How long an event waits for earlier ones of the same conversation that arrive in a later delivery.
    /// Events of one delivery are always ordered; zero publishes each delivery at once.</summary>
    public TimeSpan ReorderWindow { get; set; } = TimeSpan.Zero;
}
