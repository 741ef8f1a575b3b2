using System.Collections.Concurrent;
using System.Text.Json;
using Gateway.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Inbox;

/// <summary>
/// The spine across instances. Meta posts a webhook to whichever instance it reaches: the event is appended to the Page's
/// Redis stream (which numbers it, and which resuming subscribers read), to the stream of all events (which once-per-cluster
/// consumers read through a consumer group each), and announced on a channel that every instance (this one included)
/// listens to and hands to its every-instance consumers, all in one script so the orders agree. An event Meta redelivers to
/// another instance is published once, by a key shared over Meta's retry horizon.
/// <para>While Redis is away an instance still numbers and delivers what it receives itself (its subscribers and every
/// consumer run here), and remembers the Pages it did so for. When Redis is back it marks a gap in those Pages' histories:
/// every subscriber of such a Page, on every instance, is ended with <c>EVENT_HISTORY_EXPIRED</c>, and no resumption crosses
/// the gap, so nobody is left with a silent hole. An instance whose connection comes back reads, for the Pages it follows,
/// what was added to their streams meanwhile (events others published, and their gap markers), since the channel did not
/// bring it.</para>
/// </summary>
public sealed partial class RedisInboxEventBus(
    IConnectionMultiplexer redis, RedisKeys keys, InboxEventHistory history, InboxConsumers consumers,
    IEnumerable<IInboxHistoryGapListener> gapListeners, IOptions<InboxOptions> options, TimeProvider time,
    ILogger<RedisInboxEventBus> logger) : IInboxEventBus, IHostedService, IDisposable
{
    private const int AllEventsCapacity = 100_000;
    /// <summary>Entries a once-per-cluster consumer takes at once (the archive writes them in one transaction).</summary>
    private const int ReadBatch = 500;
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, bool> _gaps = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _readers = [];
    private readonly InProcessInboxEventBus _here = new(history, consumers);
    private long _disconnectedAtMs;
    private ChannelMessageQueue? _channel;

    // One step, so the streams' order is the channel's: skip what another instance published, number and keep the event (by
    // count, then by age), then announce it.
    private static readonly LuaScript Append = LuaScript.Prepare("""
        if not redis.call('SET', @published, 1, 'PX', @horizonMs, 'NX') then return false end
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local id = redis.call('XADD', @stream, 'MAXLEN', '~', @capacity, '*', 'event', @event)
        redis.call('XTRIM', @stream, 'MINID', '~', now - tonumber(@windowMs))
        redis.call('PEXPIRE', @stream, @windowMs)
        if @all ~= '' then redis.call('XADD', @all, 'MAXLEN', '~', @allCapacity, '*', 'event', @event) end
        redis.call('PUBLISH', @channel, id .. ' ' .. @event)
        return id
        """);

    // A hole in a Page's history: kept in its stream (resumptions across it are refused) and announced.
    private static readonly LuaScript MarkGap = LuaScript.Prepare("""
        local id = redis.call('XADD', @stream, 'MAXLEN', '~', @capacity, '*', 'gap', @page)
        redis.call('PEXPIRE', @stream, @windowMs)
        redis.call('PUBLISH', @channel, id .. ' gap ' .. @page)
        return id
        """);

    // The stream's entries after an id, the newest id trimming has dropped (a resumption before it is incomplete) and the
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

    /// <summary>Every event's script is sent before any answer is awaited (one connection keeps them in order), so a Page's
    /// backlog costs one round trip to Redis, not one per event.</summary>
    public async Task<bool[]> PublishFirstsAsync(IReadOnlyList<InboxEvent> events, TimeSpan horizon, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var appends = events.Select(inboxEvent => AppendAsync(database, inboxEvent, horizon)).ToList();
        var published = new bool[events.Count];
        for (var index = 0; index < events.Count; index++)
        {
            try
            {
                published[index] = !(await appends[index]).IsNull;
                continue;
            }
            catch (Exception error) when (IsRedisFailure(error))
            {
                Log.RedisUnavailable(logger, error.GetType().Name);
            }
            // Redis is away: this instance delivers what it received to everything here, and owes the Page a gap marker.
            _gaps[events[index].PageId] = true;
            await _here.PublishHereAsync(events[index], cancellationToken);
            published[index] = true;
        }
        return published;
    }

    private Task<RedisResult> AppendAsync(IDatabase database, InboxEvent inboxEvent, TimeSpan horizon)
    {
        try
        {
            return database.ScriptEvaluateAsync(Append, new
            {
                published = keys.PublishedEvent(inboxEvent.DedupeKey),
                horizonMs = (long)horizon.TotalMilliseconds,
                stream = keys.InboxEvents(inboxEvent.PageId),
                capacity = options.Value.EventHistoryPerPage,
                windowMs = (long)options.Value.EventHistoryWindow.TotalMilliseconds,
                all = consumers.OncePerCluster.Count > 0 ? keys.AllInboxEvents : (RedisKey)"",
                allCapacity = AllEventsCapacity,
                channel = (RedisKey)keys.InboxEventsChannel.ToString(),
                @event = JsonSerializer.Serialize(inboxEvent, Json),
            });
        }
        catch (Exception error) when (IsRedisFailure(error))
        {
            return Task.FromException<RedisResult>(error);
        }
    }

    public async Task<EventsSince> AfterAsync(string pageId, InboxEventId after)
    {
        try
        {
            var read = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(ReadAfter, new { stream = keys.InboxEvents(pageId), after = after.ToString() }))!;
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
            var entries = ((RedisResult[])read[1]!).Select(entry => (RedisResult[])entry!).ToList();
            var complete = after >= InboxEventId.Parse(read[0].ToString()) && !entries.Any(IsGap);
            return new EventsSince(complete ? Resumption.Complete : Resumption.Expired,
                [.. entries.Where(entry => !IsGap(entry)).Select(entry => Parse(entry[0].ToString(), ((RedisResult[])entry[1]!)[1].ToString())).OfType<InboxEvent>()]);
        }
        catch (Exception error) when (IsRedisFailure(error))
        {
            Log.RedisUnavailable(logger, error.GetType().Name);
            return history.After(pageId, after);
        }
    }

    /// <summary>Whether this instance hears the events every instance publishes (see <see cref="InboxSpineHealth"/>).</summary>
    public bool Listening => Volatile.Read(ref _channel) is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed += (_, _) => Interlocked.CompareExchange(ref _disconnectedAtMs, time.GetUtcNow().ToUnixTimeMilliseconds(), 0);
        redis.ConnectionRestored += (_, _) => _ = RecoverAsync();
        if (!await TrySubscribeAsync())
        {
            // Redis is not there yet: start anyway (events reach this instance only meanwhile) and listen once it answers.
            _readers.Add(Task.Run(() => SubscribeWhenRedisAnswersAsync(_stopping.Token), CancellationToken.None));
        }
        foreach (var (name, consumer) in consumers.OncePerCluster)
        {
            _readers.Add(Task.Run(() => ReadGroupAsync(name, consumer, _stopping.Token), CancellationToken.None));
        }
    }

    private async Task<bool> TrySubscribeAsync()
    {
        try
        {
            // A queue, not a handler: handlers may run concurrently and hand consumers a Page's events out of order.
            var channel = await redis.GetSubscriber().SubscribeAsync(keys.InboxEventsChannel);
            channel.OnMessage(OnAnnouncedAsync);
            Volatile.Write(ref _channel, channel);
            return true;
        }
        catch (Exception error) when (IsRedisFailure(error))
        {
            Log.RedisUnavailable(logger, error.GetType().Name);
            return false;
        }
    }

    private async Task SubscribeWhenRedisAnswersAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            if (!stopping.IsCancellationRequested && await TrySubscribeAsync())
            {
                // The gaps owed for what was published here alone meanwhile.
                await RecoverAsync();
                return;
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_readers).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        try
        {
            if (_channel is not null)
            {
                await _channel.UnsubscribeAsync();
            }
        }
        catch (Exception error) when (error is ObjectDisposedException || IsRedisFailure(error))
        {
            // The connection closed first (its owner was disposed, or Redis went): no subscription is left to end.
        }
    }

    // Not in StopAsync: a host can be stopped twice (a test server's disposal and the application's own shutdown both stop
    // it), and handlers still running read the token.
    public void Dispose() => _stopping.Dispose();

    private async Task OnAnnouncedAsync(ChannelMessage message)
    {
        var text = (string)message.Message!;
        var space = text.IndexOf(' ');
        if (space <= 0)
        {
            return;
        }
        var id = text[..space];
        var rest = text[(space + 1)..];
        if (rest.StartsWith("gap ", StringComparison.Ordinal))
        {
            AnnounceGap(rest[4..], InboxEventId.Parse(id));
            return;
        }
        if (Parse(id, rest) is { } inboxEvent && !history.Holds(inboxEvent))
        {
            history.Record(inboxEvent);
            await consumers.RunAsync(inboxEvent, InboxDelivery.EveryInstance, _stopping.Token);
        }
    }

    /// <summary>Once Redis answers again: the gaps this instance owes, then what it missed of the Pages it follows.</summary>
    private async Task RecoverAsync()
    {
        await MarkGapsAsync();
        var since = Interlocked.Exchange(ref _disconnectedAtMs, 0);
        if (since == 0)
        {
            return;
        }
        foreach (var pageId in gapListeners.SelectMany(listener => listener.PagesFollowed).Distinct())
        {
            try
            {
                // From a little before the connection was lost: what was delivered already is recognised by its id.
                var entries = await redis.GetDatabase().StreamRangeAsync(keys.InboxEvents(pageId), $"{since - 1_000}-0", "+");
                foreach (var entry in entries)
                {
                    if (entry["gap"].HasValue)
                    {
                        AnnounceGap(pageId, InboxEventId.Parse(entry.Id!));
                    }
                    else if (entry["event"] is { HasValue: true } json && Parse(entry.Id!, json!) is { } inboxEvent && !history.Holds(inboxEvent))
                    {
                        history.Record(inboxEvent);
                        await consumers.RunAsync(inboxEvent, InboxDelivery.EveryInstance, _stopping.Token);
                    }
                }
            }
            catch (Exception error) when (IsRedisFailure(error))
            {
                Log.RedisUnavailable(logger, error.GetType().Name);
                Interlocked.CompareExchange(ref _disconnectedAtMs, since, 0);
                return;
            }
        }
    }

    private void AnnounceGap(string pageId, InboxEventId at)
    {
        if (!history.RecordGap(pageId, at))
        {
            return;
        }
        foreach (var listener in gapListeners)
        {
            listener.HistoryGap(pageId);
        }
    }

    /// <summary>Marks the gaps this instance owes, once Redis answers again.</summary>
    private async Task MarkGapsAsync()
    {
        foreach (var pageId in _gaps.Keys)
        {
            // Taken first: the interactive and the subscription connections each announce their return.
            if (!_gaps.TryRemove(pageId, out _))
            {
                continue;
            }
            try
            {
                await redis.GetDatabase().ScriptEvaluateAsync(MarkGap, new
                {
                    stream = keys.InboxEvents(pageId),
                    capacity = options.Value.EventHistoryPerPage,
                    windowMs = (long)options.Value.EventHistoryWindow.TotalMilliseconds,
                    channel = (RedisKey)keys.InboxEventsChannel.ToString(),
                    page = pageId,
                });
            }
            catch (Exception error) when (IsRedisFailure(error))
            {
                // Still away: the next reconnection tries again.
                _gaps[pageId] = true;
                Log.RedisUnavailable(logger, error.GetType().Name);
                return;
            }
        }
    }

    /// <summary>One consumer's share of the stream of all events, through its consumer group: what this instance reads it
    /// acknowledges once consumed; what it fails on stays pending and is read again (also what a dead instance left). While
    /// events flow, a read is one round trip; pending and abandoned entries are looked for at start, after a failure, when
    /// the stream is idle, and at least every <see cref="AbandonedAfter"/>.</summary>
    private async Task ReadGroupAsync(string group, IInboxEventConsumer consumer, CancellationToken stopping)
    {
        var instance = Environment.MachineName + ":" + Environment.ProcessId;
        var retry = TimeSpan.FromSeconds(1);
        var recovering = true;
        var recovered = time.GetUtcNow();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var database = redis.GetDatabase();
                recovering |= time.GetUtcNow() - recovered > AbandonedAfter;
                var entries = recovering ? await PendingAsync(database, group, instance) : [];
                if (recovering && entries.Length == 0)
                {
                    recovering = false;
                    recovered = time.GetUtcNow();
                }
                if (entries.Length == 0)
                {
                    entries = await database.StreamReadGroupAsync(keys.AllInboxEvents, group, instance, ">", ReadBatch);
                }
                if (entries.Length == 0)
                {
                    recovering = true;
                    await Task.Delay(options.Value.ConsumerGroupPollInterval, time, stopping);
                    continue;
                }
                if (consumer is IInboxEventBatchConsumer batchConsumer)
                {
                    if (!await consumers.RunBatchAsync(batchConsumer, [.. entries.Select(EventOf).OfType<InboxEvent>()], stopping))
                    {
                        throw new InboxConsumerUnavailableException();
                    }
                    await database.StreamAcknowledgeAsync(keys.AllInboxEvents, group, [.. entries.Select(entry => entry.Id)]);
                    continue;
                }
                foreach (var entry in entries)
                {
                    if (EventOf(entry) is { } inboxEvent && !await consumers.RunOneAsync(consumer, inboxEvent, stopping))
                    {
                        // Left pending, in order: the consumer's store is likely away; try again in a moment.
                        throw new InboxConsumerUnavailableException();
                    }
                    await database.StreamAcknowledgeAsync(keys.AllInboxEvents, group, entry.Id);
                }
            }
            catch (Exception error) when (!stopping.IsCancellationRequested && (IsRedisFailure(error) || error is InboxConsumerUnavailableException))
            {
                recovering = true;
                await Task.Delay(retry, time, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Entries to take before new ones: abandoned ones (another instance read them and did not acknowledge them
    /// within <see cref="AbandonedAfter"/>), then this instance's own pending ones.</summary>
    private async Task<StreamEntry[]> PendingAsync(IDatabase database, string group, string instance)
    {
        await CreateGroupAsync(database, group);
        var claimed = await database.StreamAutoClaimAsync(keys.AllInboxEvents, group, instance, (long)AbandonedAfter.TotalMilliseconds, "0-0", ReadBatch);
        return claimed.ClaimedEntries.Length > 0 ? claimed.ClaimedEntries
            : await database.StreamReadGroupAsync(keys.AllInboxEvents, group, instance, "0", ReadBatch);
    }

    private async Task CreateGroupAsync(IDatabase database, string group)
    {
        try
        {
            // From the stream's start, so events published before this consumer's first run are not skipped.
            await database.StreamCreateConsumerGroupAsync(keys.AllInboxEvents, group, "0-0", createStream: true);
        }
        catch (RedisServerException error) when (error.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
        }
    }

    private static InboxEvent? EventOf(StreamEntry entry)
        => entry["event"] is { HasValue: true } json ? Parse(entry.Id!, json!) : null;

    private static bool IsGap(RedisResult[] entry) => ((RedisResult[])entry[1]!)[0].ToString() == "gap";

    private static InboxEvent? Parse(string id, string json)
        => JsonSerializer.Deserialize<InboxEvent>(json, Json) is { } inboxEvent ? inboxEvent with { EventId = InboxEventId.Parse(id) } : null;

    private static bool IsRedisFailure(Exception error) => error is RedisException or RedisTimeoutException or RedisConnectionException;

    private sealed class InboxConsumerUnavailableException : Exception;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable ({Error}): inbox events reach this instance only, and its subscribers of those Pages will be told to read again when Redis is back.")]
        public static partial void RedisUnavailable(ILogger logger, string error);
    }
}
