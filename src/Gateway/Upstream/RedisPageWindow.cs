using Gateway.Redis;
using MetaGraph;
using StackExchange.Redis;

namespace Gateway.Upstream;

/// <summary>
/// The Page's window shared by every instance through Redis, so that all of them together stay under Meta's allowance.
/// A sorted set per Page holds each call's cost with the Redis server's time (one clock for all instances). As in the
/// instance's own window, a call holds its place from when it leaves until a window after its answer: while in flight its
/// time is set ahead (by the longest a call may take), and its answer moves it back to when the answer came. A Lua
/// script checks and records a call in one step.
/// </summary>
public sealed partial class RedisPageWindow(IConnectionMultiplexer redis, RedisKeys keys, ILogger<RedisPageWindow> logger) : ISharedPageWindow
{
    // @key the Page's set; window ms, limit, cost, member, hold ms (how far ahead an unanswered call is placed).
    // Returns 0 when recorded, else ms to wait.
    private static readonly LuaScript Acquire = LuaScript.Prepare("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local window = tonumber(@window)
        redis.call('ZREMRANGEBYSCORE', @key, '-inf', now - window)
        local entries = redis.call('ZRANGE', @key, 0, -1, 'WITHSCORES')
        local used = 0
        for i = 1, #entries, 2 do used = used + tonumber(string.match(entries[i], ':(%d+)$')) end
        local cost = tonumber(@cost)
        if used + cost <= tonumber(@limit) then
          redis.call('ZADD', @key, now + tonumber(@hold), @member)
          redis.call('PEXPIRE', @key, window + tonumber(@hold) + 60000)
          return 0
        end
        local free = used + cost - tonumber(@limit)
        for i = 1, #entries, 2 do
          free = free - tonumber(string.match(entries[i], ':(%d+)$'))
          if free <= 0 then
            local at = tonumber(entries[i + 1])
            -- A call still in flight frees its place a window after its answer, which is not known yet.
            if at > now then return window end
            return math.max(1, at + window - now)
          end
        end
        return window
        """);

    private static readonly LuaScript Answered = LuaScript.Prepare("""
        local time = redis.call('TIME')
        redis.call('ZADD', @key, 'XX', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000), @member)
        return 0
        """);

    /// <summary>The longest a call may be in flight (the resilience pipeline's attempt timeout); a call of an instance that
    /// died holds its place this long at most.</summary>
    private static readonly TimeSpan InFlightHold = TimeSpan.FromSeconds(10);


    public async Task<(string? Member, TimeSpan Wait)> TryAcquireAsync(string pageId, MetaApi api, int calls, int limit, TimeSpan window)
    {
        var member = $"{Guid.NewGuid():N}:{calls}";
        try
        {
            var wait = (long)await redis.GetDatabase().ScriptEvaluateAsync(Acquire,
                new { key = keys.PageWindow(pageId, api), window = (long)window.TotalMilliseconds, limit, cost = calls, member,
                    hold = (long)InFlightHold.TotalMilliseconds });
            return wait == 0 ? (member, TimeSpan.Zero) : (null, TimeSpan.FromMilliseconds(wait));
        }
        catch (Exception error) when (error is RedisException or RedisTimeoutException or RedisConnectionException)
        {
            Log.Unavailable(logger, error.GetType().Name);
            return (null, TimeSpan.Zero);
        }
    }

    public async Task AnsweredAsync(string pageId, MetaApi api, string member)
    {
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(Answered, new { key = keys.PageWindow(pageId, api), member });
        }
        catch (Exception error) when (error is RedisException or RedisTimeoutException or RedisConnectionException)
        {
            Log.Unavailable(logger, error.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable ({Error}): this instance governs its Pages' calls alone until it is back.")]
        public static partial void Unavailable(ILogger logger, string error);
    }
}
