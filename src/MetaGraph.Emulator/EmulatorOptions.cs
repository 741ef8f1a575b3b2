using System.Text.Json.Serialization;

namespace MetaGraph.Emulator;

/// <summary>The emulator's data set and behaviour. The same options give byte-identical data.</summary>
public sealed record EmulatorOptions
{
    public int Seed { get; init; } = 20261125;
    public int Pages { get; init; } = 2;
    /// <summary>Inbox conversations per Page and per platform; one more per 12 of them is seeded in each other folder.</summary>
    public int ConversationsPerPlatform { get; init; } = 24;
    /// <summary>Conversations get 1 to this many messages; a good share have more than 20.</summary>
    public int MaxMessagesPerConversation { get; init; } = 60;
    public int LatencyMs { get; init; }
    /// <summary>Up to this much more latency, drawn per request from the seeded sequence.</summary>
    public int LatencyJitterMs { get; init; }
    public double FaultRate { get; init; }
    /// <summary>Calls per second per Page (each id of <c>ids=</c> and each batch item counts); null means unlimited.</summary>
    public int? RateLimitPerSecond { get; init; }
    /// <summary>When set, every call must carry a valid <c>appsecret_proof</c>.</summary>
    public string? AppSecret { get; init; }
    public int MaxConversationsLimit { get; init; } = 200;
    public int MaxMessagesLimit { get; init; } = 100;
}

/// <summary>Behaviour changed at run time (<c>POST /_emulator/config</c>); a null value keeps the current one, a
/// <see cref="RateLimitPerSecond"/> of 0 turns rate limiting off and a <see cref="WebhookUrl"/> of <c>""</c> turns webhooks off.</summary>
/// <param name="WebhookUrl">Where webhooks are POSTed; setting it first performs Meta's verification handshake there.</param>
/// <param name="AppSecret">The app secret that signs webhooks (<c>X-Hub-Signature-256</c>); defaults to
/// <see cref="EmulatorOptions.AppSecret"/>. Setting it here does not turn on <c>appsecret_proof</c> checks. Never answered back.</param>
/// <param name="WebhookVerifyToken">The <c>hub.verify_token</c> of the handshake. Never answered back.</param>
/// <param name="WebhookDuplicateRate">The share of webhook POSTs delivered a second time, byte for byte (seeded).</param>
/// <param name="WebhookReorder">Events that are sent together are shuffled (seeded) and each POSTed on its own, out of order.</param>
/// <param name="WebhookMaxAttempts">Attempts per POST; a non-2xx answer or a connection failure is retried.</param>
/// <param name="WebhookRetryDelayMs">The wait before the first retry; each further retry waits twice as long.</param>
public sealed record EmulatorRuntimeConfig(
    int? LatencyMs = null,
    double? FaultRate = null,
    int? RateLimitPerSecond = null,
    int? LatencyJitterMs = null,
    string? WebhookUrl = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AppSecret = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WebhookVerifyToken = null,
    double? WebhookDuplicateRate = null,
    bool? WebhookReorder = null,
    int? WebhookMaxAttempts = null,
    int? WebhookRetryDelayMs = null)
{
    /// <summary>This configuration as it may be shown: without the app secret and the verify token.</summary>
    public EmulatorRuntimeConfig WithoutSecrets() => this with { AppSecret = null, WebhookVerifyToken = null };
}

/// <summary>A configuration the emulator refuses, with a message saying what to send instead; it never repeats a secret.</summary>
public sealed class EmulatorConfigException(string message) : Exception(message);

public sealed record SeedPage(string PageId, string AccessToken, string InstagramAccountId, SeedConversationCounts Conversations);

/// <summary>How many conversations the default listing (the inbox folder) has on each platform.</summary>
public sealed record SeedConversationCounts(int Messenger, int Instagram);

/// <summary>A Graph API request the emulator served. <see cref="Query"/> is the raw query string (with its <c>?</c>) and
/// <see cref="Batch"/> the <c>relative_url</c>s of a batch, each with access tokens redacted to <c>***</c>.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyList<string>? Batch);
