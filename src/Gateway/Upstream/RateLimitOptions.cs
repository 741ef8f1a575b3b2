using System.ComponentModel.DataAnnotations;
using MetaGraph;

namespace Gateway.Upstream;

public sealed class RateLimitOptions
{
    public const string Section = "Meta:RateLimit";

    /// <summary>The Conversations API's allowance (listings, threads, message reads): 2 calls per second per Page.</summary>
    [Range(1, int.MaxValue)]
    public int CallsPerSecond { get; set; } = 2;

    /// <summary>The allowance of the rest of the Messenger API, where user profile reads belong: Meta allows 200 calls per
    /// engaged user (people the Page can message) in 24 hours, which the gateway cannot see; set this to 200 × the Page's
    /// engaged users. The default is that of a Page with 10.</summary>
    [Range(1, int.MaxValue)]
    public int ProfileCallsPerDay { get; set; } = 2_000;

    /// <summary>The Send API's allowance for text, links, reactions, stickers and sender actions: 300 calls per second per Page.</summary>
    [Range(1, int.MaxValue)]
    public int SendCallsPerSecond { get; set; } = 300;

    /// <summary>The Send API's allowance for audio and video: 10 calls per second per Page.</summary>
    [Range(1, int.MaxValue)]
    public int SendMediaCallsPerSecond { get; set; } = 10;

    /// <summary>How long a call may wait for its turn before its fields fail with <c>META_RATE_LIMITED</c>: at the
    /// Conversations API's 2 calls per second, enough for about ten calls beyond the window's own (the details of ten fresh
    /// messages read by id, which Meta counts one by one).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Added to Meta's window against clock granularity.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan WindowMargin { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Usage Meta reports (percent of any allowance) from which calls are spaced out, when it is more than this
    /// gateway's own calls explain: someone else (another app or instance) is spending the Page's allowance.</summary>
    [Range(1, 100)]
    public int SlowDownAtPercent { get; set; } = 90;

    /// <summary>The share of an allowance that background work (looking up a new person's conversation, an inbox sync)
    /// may use; it goes only when no reader waits, and then only while the window holds less than this share.</summary>
    [Range(0.01, 1.0)]
    public double BackgroundShare { get; set; } = 0.5;

    /// <summary>How long a Page's API is left alone after Meta answered a rate-limit error without saying for how long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CoolDownAfterRateLimit { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What Meta allows of <paramref name="api"/> per Page.</summary>
    public MetaAllowance AllowanceOf(MetaApi api) => api switch
    {
        MetaApi.Conversations => new(CallsPerSecond, TimeSpan.FromSeconds(1)),
        MetaApi.Profiles => new(ProfileCallsPerDay, TimeSpan.FromDays(1)),
        MetaApi.Send => new(SendCallsPerSecond, TimeSpan.FromSeconds(1)),
        MetaApi.SendMedia => new(SendMediaCallsPerSecond, TimeSpan.FromSeconds(1)),
        _ => throw new ArgumentOutOfRangeException(nameof(api), api, null),
    };
}

/// <summary>So many calls per window (a second, a day), per Page.</summary>
public readonly record struct MetaAllowance(int Calls, TimeSpan Window);

/// <summary>Readers go first: background calls never wait in line ahead of them.</summary>
public enum CallPriority
{
    /// <summary>A caller waits for it (a query, a subscription event): served in order, within <see cref="RateLimitOptions.MaxQueueWait"/>.</summary>
    Foreground,
    /// <summary>No one waits for it: it goes when no reader waits and the window holds less than <see cref="RateLimitOptions.BackgroundShare"/>, however long that takes.</summary>
    Background,
}
