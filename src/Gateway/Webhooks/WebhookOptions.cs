using System.ComponentModel.DataAnnotations;

namespace Gateway.Webhooks;

/// <summary><c>Meta:Webhooks</c>. Signatures are checked with <c>Meta:AppSecret</c>; what happens to accepted events is
/// the spine's (<c>Inbox</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Meta:Webhooks";

    /// <summary>What the Meta app's webhook settings say as "Verify token"; the handshake fails without it.</summary>
    public string VerifyToken { get; set; } = "";

    /// <summary>Where Meta's webhooks are received: the callback URL in the Meta app's webhook settings.</summary>
    [Required, RegularExpression("^/.*", ErrorMessage = "Meta:Webhooks:Path must start with '/'.")]
    public string Path { get; set; } = "/webhooks/meta";

    /// <summary>Larger deliveries are refused with 413 (Meta sends at most 1,000 updates per POST).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Deliveries read at once. A delivery is read whole before its signature can be checked, so this bounds the
    /// memory unsigned senders can hold (this many times <see cref="MaxBodyBytes"/>); past it the endpoint answers 503,
    /// which Meta retries.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentDeliveries { get; set; } = 16;

    /// <summary>How long one delivery's body may take to arrive; a sender that holds it back is answered 408.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
