using System.ComponentModel.DataAnnotations;

namespace Gateway.Caching;

public sealed class GraphCacheOptions
{
    public const string Section = "Gateway:Cache";

    /// <summary>Off, every read is a live Graph call (still coalesced per request by the DataLoaders).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Lifetime of listings, message pages and conversations: webhooks invalidate them at once; the lifetime is
    /// the safety net for changes no webhook reports (folder moves, read state, unsend from Instagram's web app).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan ListingLifetime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Lifetime of a message's details, which only change by reaction or deletion (both reported by webhook).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "30.00:00:00")]
    public TimeSpan MessageDetailsLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Lifetime of user profiles (names, pictures): they rarely change and cost the Page's daily profile
    /// allowance; never past the expiry their picture URL carries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "30.00:00:00")]
    public TimeSpan ProfileLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long past its lifetime the last good answer is served while Graph is rate-limited or down; such an
    /// answer says so in <c>extensions.cache</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a read waits for the refresh of an answer a webhook invalidated or its lifetime ended before it is
    /// given that previous answer instead; the refresh goes on in the background and the next reads get it. Under load this
    /// keeps the Page's readers from queueing behind its two calls per second.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RefreshWait { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Share of the lifetime after which a read refreshes the entry in the background, within the Page's budget.</summary>
    [Range(0.0, 1.0)]
    public float EagerRefreshThreshold { get; set; } = 0.8f;

    /// <summary>Memory for whole executed query results (<see cref="ResponseCache"/>), in bytes of JSON; 0 turns it off and
    /// every query is executed over the cached Graph answers. Results that read the archive are never kept.</summary>
    [Range(0L, 16L * 1024 * 1024 * 1024)]
    public long ResponseCacheBytes { get; set; } = 64L * 1024 * 1024;
}
