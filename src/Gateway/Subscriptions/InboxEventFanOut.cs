using System.Text;
using System.Text.Json;
using Gateway.Webhooks;
using MetaGraph;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Subscriptions;

/// <summary>
/// Hands each inbox event to the subscribers of every instance, and keeps each Page's recent events for subscribers that
/// resume. Meta posts a webhook to whichever instance it reaches, so with Redis configured the event is appended to the
/// Page's Redis stream (which numbers it) and announced on a Redis channel that every instance (this one included) listens
/// to and publishes to its own <see cref="InboxEventHub"/>; an event Meta redelivers to another instance is published once,
/// by a key shared through Redis over Meta's retry horizon. Without Redis, or while it is away, events stay in-process.
/// </summary>
public sealed partial class InboxEventFanOut(
    InboxEventHub hub, InboxEventHistory history, IOptions<SubscriptionOptions> options, TimeProvider time, ILogger<InboxEventFanOut> logger,
    IConnectionMultiplexer? redis = null) : IHostedService
{
    private const string ChannelName = "gateway:inbox-events";
    private static readonly RedisChannel Channel = RedisChannel.Literal(ChannelName);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private ChannelMessageQueue? _channel;

    // One step, so the stream's order is the channel's: number and keep the event (by count, then by age), then announce it.
    private static readonly LuaScript Append = LuaScript.Prepare("""
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local id = redis.call('XADD', @stream, 'MAXLEN', '~', @capacity, '*', 'event', @event)
        redis.call('XTRIM', @stream, 'MINID', '~', now - tonumber(@windowMs))
        redis.call('PEXPIRE', @stream, @windowMs)
        redis.call('PUBLISH', @channel, id .. ' ' .. @event)
        return id
        """);

    // The stream's events after an id, the newest id trimming has dropped (a resumption before it is incomplete) and the
    // newest id given out (a resumption after it names no event).
    private static readonly LuaScript ReadAfter = LuaScript.Prepare("""
        if redis.call('EXISTS', @stream) == 0 then return {} end
        local info = redis.call('XINFO', 'STREAM', @stream)
        local dropped = '0-0'
        local newest = '0-0'
        for i = 1, #info, 2 do
          if info[i] == 'max-deleted-entry-id' then dropped = info[i + 1] end
          if info[i] == 'last-generated-id' then newest = info[i + 1] end
        end
        return { dropped, redis.call('XRANGE', @stream, '(' .. @after, '+'), newest }
        """);

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
        catch (Exception error) when (IsRedisFailure(error))
        {
            Log.RedisUnavailable(logger, error.GetType().Name);
            return true;
        }
    }

    public async Task PublishAsync(InboxEvent inboxEvent)
    {
        if (redis is not null)
        {
            try
            {
                await redis.GetDatabase().ScriptEvaluateAsync(Append, new
                {
                    stream = Stream(inboxEvent.PageId),
                    capacity = options.Value.EventHistoryPerPage,
                    windowMs = (long)options.Value.EventHistoryWindow.TotalMilliseconds,
                    channel = ChannelName,
                    @event = JsonSerializer.Serialize(inboxEvent, Json),
                });
                return;
            }
            catch (Exception error) when (IsRedisFailure(error))
            {
                // This instance's subscribers still hear of it; the others catch up when Redis is back (cache lifetimes).
                Log.RedisUnavailable(logger, error.GetType().Name);
            }
        }
        Deliver(history.Number(inboxEvent));
    }

    /// <summary>The live events of a Page (and platform) that <paramref name="filter"/> accepts, after
    /// <paramref name="after"/> when the subscriber resumes: null when the history no longer reaches back that far.</summary>
    public async Task<IObservable<InboxEvent>?> EventsAsync(
        string pageId, Platform? platform, Func<InboxEvent, bool> filter, InboxEventId? after, CancellationToken cancellationToken)
    {
        var live = hub.Events(pageId, platform, filter);
        if (after is not { } resumeAfter)
        {
            return live;
        }
        return await ResumedStream.StartAsync(live, resumeAfter, async () =>
        {
            var since = await EventsAfterAsync(pageId, resumeAfter);
            return since.Resumption switch
            {
                Resumption.Complete => [.. since.Events.Where(e => (platform is null || e.Platform == platform) && filter(e))],
                Resumption.NeverIssued => throw InvalidEventId(),
                _ => null,
            };
        }, cancellationToken);
    }

    /// <summary>An <c>after</c> that is no event id this gateway gave out: malformed, or newer than any event.</summary>
    public static Api.GatewayError InvalidEventId()
        => new("INVALID_EVENT_ID", "`after` must be the `extensions.eventId` of a delivered event, such as `1733140800000-0`.");

    private async Task<EventsSince> EventsAfterAsync(string pageId, InboxEventId after)
    {
        if (redis is null)
        {
            return history.After(pageId, after);
        }
        try
        {
            var read = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(ReadAfter, new { stream = Stream(pageId), after = after.ToString() }))!;
            if (read.Length == 0)
            {
                // The stream expired (nothing for a whole window) or never was: complete only if the id is that recent, and
                // no id from the future names an event.
                var now = time.GetUtcNow();
                return new EventsSince(after.Milliseconds > now.ToUnixTimeMilliseconds() ? Resumption.NeverIssued
                    : after.Milliseconds >= (now - options.Value.EventHistoryWindow).ToUnixTimeMilliseconds() ? Resumption.Complete
                    : Resumption.Expired, []);
            }
            if (after > InboxEventId.Parse(read[2].ToString()))
            {
                return new EventsSince(Resumption.NeverIssued, []);
            }
            var events = ((RedisResult[])read[1]!).Select(entry =>
            {
                var fields = (RedisResult[])entry!;
                return Parse(fields[0].ToString(), ((RedisResult[])fields[1]!)[1].ToString());
            }).OfType<InboxEvent>().ToList();
            return new EventsSince(after >= InboxEventId.Parse(read[0].ToString()) ? Resumption.Complete : Resumption.Expired, events);
        }
        catch (Exception error) when (IsRedisFailure(error))
        {
            Log.RedisUnavailable(logger, error.GetType().Name);
            return history.After(pageId, after);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis is not null)
        {
            // A queue, not a handler: handlers may run concurrently and hand subscribers a Page's events out of order.
            _channel = await redis.GetSubscriber().SubscribeAsync(Channel);
            _channel.OnMessage(message =>
            {
                var text = (string)message.Message!;
                var space = text.IndexOf(' ');
                if (space > 0 && Parse(text[..space], text[(space + 1)..]) is { } inboxEvent)
                {
                    Deliver(inboxEvent);
                }
            });
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => _channel?.UnsubscribeAsync() ?? Task.CompletedTask;

    private void Deliver(InboxEvent inboxEvent)
    {
        history.Record(inboxEvent);
        hub.Publish(inboxEvent);
    }

    private static InboxEvent? Parse(string id, string json)
        => JsonSerializer.Deserialize<InboxEvent>(json, Json) is { } inboxEvent ? inboxEvent with { EventId = InboxEventId.Parse(id) } : null;

    private static RedisKey Stream(string pageId) => "gateway:inbox-events:" + pageId;

    private static bool IsRedisFailure(Exception error) => error is RedisException or RedisTimeoutException or RedisConnectionException;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable ({Error}): inbox events reach this instance's subscribers only, and resume from its memory.")]
        public static partial void RedisUnavailable(ILogger logger, string error);
    }
}
