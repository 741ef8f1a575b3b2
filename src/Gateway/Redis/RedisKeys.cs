using MetaGraph;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Redis;

/// <summary>Every key and channel the gateway uses in Redis, under <see cref="RedisOptions.KeyPrefix"/>: the one place
/// they are named.</summary>
public sealed class RedisKeys(IOptions<RedisOptions> options)
{
    public string Prefix { get; } = options.Value.KeyPrefix;

    /// <summary>The sorted set of a Page's calls to one Meta API in its current window, shared by all instances.</summary>
    public RedisKey PageWindow(string pageId, MetaApi api) => $"{Prefix}page-window:{pageId}:{api}";

    /// <summary>The stream of a Page's recent inbox events, for subscribers that resume.</summary>
    public RedisKey InboxEvents(string pageId) => $"{Prefix}inbox-events:{pageId}";

    /// <summary>The stream of every Page's events, read by consumer groups (once per cluster).</summary>
    public RedisKey AllInboxEvents => $"{Prefix}inbox-events";

    /// <summary>Where each event is announced to every instance.</summary>
    public RedisChannel InboxEventsChannel => RedisChannel.Literal($"{Prefix}inbox-events");

    /// <summary>Marks an event published, so that Meta's redelivery to another instance is not published again.</summary>
    public RedisKey PublishedEvent(string dedupeKey) => $"{Prefix}webhook-event:{dedupeKey}";

    /// <summary>What became of a send with an idempotency key (by the key's hash) for a Page, shared by all instances.</summary>
    public RedisKey SendRecord(string pageId, string keyHash) => $"{Prefix}send:{pageId}:{keyHash}";

    /// <summary>The prefix of the Graph answer cache's keys (FusionCache's second level and its locks).</summary>
    public string GraphCache => $"{Prefix}graph:";

    /// <summary>The Graph answer cache's backplane channel.</summary>
    public string GraphCacheBackplane => $"{Prefix}graph-backplane";
}
