using System.Text.Json;
using Gateway.Webhooks;
using StackExchange.Redis;

namespace Gateway.Subscriptions;

/// <summary>
/// Hands each inbox event to the subscribers of every instance. Meta posts a webhook to whichever instance it reaches,
/// so with Redis configured the event goes out on a Redis channel that every instance (this one included) listens to and
/// publishes to its own <see cref="InboxEventHub"/>; and an event Meta redelivers to another instance is published once,
/// by a key shared through Redis over Meta's retry horizon. Without Redis, or while it is away, events stay in-process.
/// </summary>
public sealed partial class InboxEventFanOut(InboxEventHub hub, ILogger<InboxEventFanOut> logger, IConnectionMultiplexer? redis = null)
    : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("gateway:inbox-events");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Whether this event is seen for the first time by any instance (always true without Redis, where each
    /// instance's own deduplicator decides).</summary>
    public async Task<bool> IsFirstAsync(InboxEvent inboxEvent, TimeSpan horizon)
    {
        if (redis is null)
        {
            return true;
        }
        try
        {
            return await redis.GetDatabase().StringSetAsync("gateway:webhook-event:" + inboxEvent.DedupeKey, 1, horizon, When.NotExists);
        }
        catch (Exception error) when (error is RedisException or RedisTimeoutException or RedisConnectionException)
        {
            Log.RedisUnavailable(logger, error.GetType().Name);
            return true;
        }
    }

    public async Task PublishAsync(InboxEvent inboxEvent)
    {
        if (redis is null)
        {
            hub.Publish(inboxEvent);
            return;
        }
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.SerializeToUtf8Bytes(inboxEvent, Json));
        }
        catch (Exception error) when (error is RedisException or RedisTimeoutException or RedisConnectionException)
        {
            // This instance's subscribers still hear of it; the others catch up when Redis is back (cache lifetimes).
            Log.RedisUnavailable(logger, error.GetType().Name);
            hub.Publish(inboxEvent);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis is not null)
        {
            await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
            {
                if (JsonSerializer.Deserialize<InboxEvent>((byte[])message!, Json) is { } inboxEvent)
                {
                    hub.Publish(inboxEvent);
                }
            });
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => redis?.GetSubscriber().UnsubscribeAsync(Channel) ?? Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable ({Error}): inbox events reach this instance's subscribers only.")]
        public static partial void RedisUnavailable(ILogger logger, string error);
    }
}
