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

/// <summary>Behaviour changed at run time (<c>POST /_emulator/config</c>); a null value keeps the current one, and a
/// <see cref="RateLimitPerSecond"/> of 0 turns rate limiting off.</summary>
public sealed record EmulatorRuntimeConfig(int? LatencyMs = null, double? FaultRate = null, int? RateLimitPerSecond = null, int? LatencyJitterMs = null);

public sealed record SeedPage(string PageId, string AccessToken, string InstagramAccountId, SeedConversationCounts Conversations);

/// <summary>How many conversations the default listing (the inbox folder) has on each platform.</summary>
public sealed record SeedConversationCounts(int Messenger, int Instagram);

/// <summary>A Graph API request the emulator served. <see cref="Query"/> is the raw query string (with its <c>?</c>) and
/// <see cref="Batch"/> the <c>relative_url</c>s of a batch, each with access tokens redacted to <c>***</c>.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyList<string>? Batch);
