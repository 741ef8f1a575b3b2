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
    /// <summary>The Conversations API's calls per second per Page (each id of <c>ids=</c> and each batch item counts; Meta
    /// allows 2); null means unlimited.</summary>
    public int? RateLimitPerSecond { get; init; }
    /// <summary>See <see cref="EmulatorRuntimeConfig.ProfileCallsPerDay"/>.</summary>
    public int? ProfileCallsPerDay { get; init; }
    /// <summary>See <see cref="EmulatorRuntimeConfig.ProfileCallsPerEngagedUser"/>.</summary>
    public int? ProfileCallsPerEngagedUser { get; init; }
    /// <summary>See <see cref="EmulatorRuntimeConfig.SendCallsPerSecond"/>.</summary>
    public int? SendCallsPerSecond { get; init; }
    /// <summary>See <see cref="EmulatorRuntimeConfig.SendMediaCallsPerSecond"/>.</summary>
    public int? SendMediaCallsPerSecond { get; init; }
    /// <summary>See <see cref="EmulatorRuntimeConfig.ThreadMessagesPerMinute"/>.</summary>
    public int? ThreadMessagesPerMinute { get; init; }
    /// <summary>When set, every call must carry a valid <c>appsecret_proof</c>.</summary>
    public string? AppSecret { get; init; }
    public int MaxConversationsLimit { get; init; } = 200;
    public int MaxMessagesLimit { get; init; } = 100;
    /// <summary>The app the emulator's tokens belong to: the <c>app_id</c> of the echoes of messages sent with the Send API.</summary>
    public long AppId { get; init; } = 1_051_000_000_000_001;
    /// <summary>When above 0, one more Page ("Emulator Shop Large", after the others) with this many inbox conversations per
    /// platform, mostly short, for sync tests and benchmarks; the other Pages stay as they are without it.</summary>
    public int LargePageConversations { get; init; }
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
/// <param name="ProfileCallsPerDay">User profile reads (the rest of the Messenger API) per Page per rolling 24 hours, a fixed
/// number that replaces <paramref name="ProfileCallsPerEngagedUser"/>; 0 turns it off.</param>
/// <param name="ProfileCallsPerEngagedUser">User profile reads per Page per rolling 24 hours for each engaged user (Meta: 200;
/// see <see cref="Data.PageData.EngagedUsers"/>); 0 turns it off.</param>
/// <param name="SendCallsPerSecond">Send API calls per second per Page with text, links, reactions, stickers, images, files or
/// sender actions (Meta: 300); 0 turns it off.</param>
/// <param name="SendMediaCallsPerSecond">Send API calls per second per Page with audio or video (Meta: 10); 0 turns it off.</param>
/// <param name="ThreadMessagesPerMinute">Messages the Page may send to one thread per minute; Meta documents a per-thread limit
/// without a number (our choice: 60 in <see cref="MetaRateLimits"/>); 0 turns it off.</param>
/// <param name="SendAnswerLoss">The next this many Send API messages are processed (appended, echoed) but their answer is lost;
/// a count of 0 stops it. The count shown is what is left.</param>
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
    int? WebhookRetryDelayMs = null,
    int? ProfileCallsPerDay = null,
    int? ProfileCallsPerEngagedUser = null,
    int? SendCallsPerSecond = null,
    int? SendMediaCallsPerSecond = null,
    int? ThreadMessagesPerMinute = null,
    SendAnswerLoss? SendAnswerLoss = null)
{
    /// <summary>Every allowance at Meta's documented value ("Messenger Platform rate limits"), and our choice of 60 messages a
    /// minute per thread where Meta gives no number.</summary>
    public static EmulatorRuntimeConfig MetaRateLimits { get; } = new(RateLimitPerSecond: 2, ProfileCallsPerEngagedUser: 200,
        SendCallsPerSecond: 300, SendMediaCallsPerSecond: 10, ThreadMessagesPerMinute: 60);

    /// <summary>This configuration as it may be shown: without the app secret and the verify token.</summary>
    public EmulatorRuntimeConfig WithoutSecrets() => this with { AppSecret = null, WebhookVerifyToken = null };
}

/// <summary>What happens to the answer of a send whose answer is lost: the connection is reset once the send is processed,
/// or the request hangs until the client gives up.</summary>
public enum AnswerLossMode
{
    [JsonStringEnumMemberName("reset")] Reset,
    [JsonStringEnumMemberName("hang")] Hang,
}

/// <summary>Loses the answers of the next <see cref="Count"/> Send API messages: each is processed (appended to its thread, its
/// echo queued) and then the client gets no answer, as when a network fails after Meta acted.</summary>
public sealed record SendAnswerLoss(int Count, [property: JsonConverter(typeof(JsonStringEnumConverter<AnswerLossMode>))] AnswerLossMode Mode = AnswerLossMode.Reset);

/// <summary>A configuration the emulator refuses, with a message saying what to send instead; it never repeats a secret.</summary>
public sealed class EmulatorConfigException(string message) : Exception(message);

public sealed record SeedPage(string PageId, string AccessToken, string InstagramAccountId, SeedConversationCounts Conversations);

/// <summary>How many conversations the default listing (the inbox folder) has on each platform.</summary>
public sealed record SeedConversationCounts(int Messenger, int Instagram);

/// <summary>A Graph API request the emulator served. <see cref="Query"/> is the raw query string (with its <c>?</c>) and
/// <see cref="Batch"/> the <c>relative_url</c>s of a batch, each with access tokens redacted to <c>***</c>.</summary>
/// <param name="At">When it arrived, on the emulator's clock (the one its rate limits count by): calls per second are
/// counted from it.</param>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyList<string>? Batch, DateTimeOffset At);
