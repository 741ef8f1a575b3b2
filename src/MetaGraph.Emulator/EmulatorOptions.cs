namespace MetaGraph.Emulator;

/// <summary>The emulator's data set and behaviour. The same options give byte-identical data.</summary>
public sealed record EmulatorOptions
{
    public int Seed { get; init; } = 20261125;
    public int Pages { get; init; } = 2;
    /// <summary>Conversations per Page and per platform.</summary>
    public int ConversationsPerPlatform { get; init; } = 24;
    /// <summary>Conversations get 1 to this many messages; a good share have more than 20.</summary>
    public int MaxMessagesPerConversation { get; init; } = 60;
    public int LatencyMs { get; init; }
    public double FaultRate { get; init; }
    /// <summary>Calls per second per Page (each id of <c>ids=</c> and each batch item counts); null means unlimited.</summary>
    public int? RateLimitPerSecond { get; init; }
    /// <summary>When set, every call must carry a valid <c>appsecret_proof</c>.</summary>
    public string? AppSecret { get; init; }
    public int MaxConversationsLimit { get; init; } = 200;
    public int MaxMessagesLimit { get; init; } = 100;
}

public sealed record EmulatorRuntimeConfig(int? LatencyMs = null, double? FaultRate = null, int? RateLimitPerSecond = null);

public sealed record SeedPage(string PageId, string AccessToken, string InstagramAccountId, SeedConversationCounts Conversations);

public sealed record SeedConversationCounts(int Messenger, int Instagram);

/// <summary>A Graph API request the emulator served; the access token is redacted from <see cref="Query"/>.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyList<string>? Batch);
