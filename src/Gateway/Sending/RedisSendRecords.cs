using System.Text.Json;
using Gateway.Inbox;
using Gateway.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Sending;

/// <summary>
/// Idempotency records shared by every instance: a Redis hash per Page and key (<see cref="RedisKeys.SendRecord"/>) with the
/// record's state and its JSON, expiring <see cref="SendOptions.IdempotencyKeyLifetime"/> after the key's first use. Each
/// change is one script that checks the state first, so two instances never both claim a key. While Redis is away an
/// instance keeps records in its own memory (duplicates it receives itself are still caught) and says so in its log.
/// </summary>
public sealed partial class RedisSendRecords(
    IConnectionMultiplexer redis, RedisKeys keys, IOptions<SendOptions> options, TimeProvider time, ILogger<RedisSendRecords> logger)
    : ISendRecords
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly LuaScript Claim = LuaScript.Prepare("""
        if redis.call('EXISTS', @key) == 1 then return redis.call('HGET', @key, 'record') end
        redis.call('HSET', @key, 'state', @state, 'record', @record)
        redis.call('PEXPIRE', @key, @ttl)
        return false
        """);

    private static readonly LuaScript Complete = LuaScript.Prepare("""
        local state = redis.call('HGET', @key, 'state')
        if state and state ~= 'Pending' then return redis.call('HGET', @key, 'record') end
        redis.call('HSET', @key, 'state', @state, 'record', @record)
        if redis.call('PTTL', @key) < 0 then redis.call('PEXPIRE', @key, @ttl) end
        return @record
        """);

    private static readonly LuaScript Replace = LuaScript.Prepare("""
        if redis.call('HGET', @key, 'state') ~= @expected then return 0 end
        redis.call('HSET', @key, 'state', @state, 'record', @record)
        return 1
        """);

    private static readonly LuaScript Forget = LuaScript.Prepare("""
        if redis.call('HGET', @key, 'state') == 'Pending' then redis.call('DEL', @key) end
        return 0
        """);

    private readonly MemorySendRecords _fallback = new(options, time);

    public Task<SendRecord?> ClaimAsync(string pageId, string keyHash, SendRecord pending)
        => OrFallbackAsync(async database => Read(await database.ScriptEvaluateAsync(Claim, Arguments(pageId, keyHash, pending))),
            () => _fallback.ClaimAsync(pageId, keyHash, pending));

    public Task<SendRecord?> GetAsync(string pageId, string keyHash)
        => OrFallbackAsync(async database => Read(await database.HashGetAsync(keys.SendRecord(pageId, keyHash), "record")),
            () => _fallback.GetAsync(pageId, keyHash));

    public Task<SendRecord> CompleteAsync(string pageId, string keyHash, SendRecord outcome)
        => OrFallbackAsync(async database => Read(await database.ScriptEvaluateAsync(Complete, Arguments(pageId, keyHash, outcome)))!,
            () => _fallback.CompleteAsync(pageId, keyHash, outcome));

    /// <summary>Compare and set: another instance resolving the same echo at once is harmless, the first wins.</summary>
    public Task ResolveAsync(string pageId, string keyHash, InboxEvent echo)
        => OrFallbackAsync<object?>(async database =>
        {
            if (Read(await database.HashGetAsync(keys.SendRecord(pageId, keyHash), "record")) is { State: not SendState.Sent } open)
            {
                var resolved = open with { State = SendState.Sent, Sent = echo };
                await database.ScriptEvaluateAsync(Replace, new
                {
                    key = keys.SendRecord(pageId, keyHash),
                    expected = open.State.ToString(),
                    state = resolved.State.ToString(),
                    record = JsonSerializer.Serialize(resolved, Json),
                });
            }
            return null;
        }, async () =>
        {
            await _fallback.ResolveAsync(pageId, keyHash, echo);
            return null;
        });

    public Task ForgetAsync(string pageId, string keyHash)
        => OrFallbackAsync<object?>(async database =>
        {
            await database.ScriptEvaluateAsync(Forget, new { key = keys.SendRecord(pageId, keyHash) });
            return null;
        }, async () =>
        {
            await _fallback.ForgetAsync(pageId, keyHash);
            return null;
        });

    private object Arguments(string pageId, string keyHash, SendRecord record) => new
    {
        key = keys.SendRecord(pageId, keyHash),
        state = record.State.ToString(),
        record = JsonSerializer.Serialize(record, Json),
        ttl = (long)options.Value.IdempotencyKeyLifetime.TotalMilliseconds,
    };

    private static SendRecord? Read(RedisResult result) => result.IsNull ? null : Read((RedisValue)result);

    private static SendRecord? Read(RedisValue value) => value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<SendRecord>(value.ToString(), Json);

    private async Task<T> OrFallbackAsync<T>(Func<IDatabase, Task<T>> inRedis, Func<Task<T>> inMemory)
    {
        try
        {
            return await inRedis(redis.GetDatabase());
        }
        catch (Exception error) when (error is RedisException or RedisTimeoutException or RedisConnectionException)
        {
            Log.Unavailable(logger, error.GetType().Name);
            return await inMemory();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable ({Error}): idempotency keys are kept in this instance's memory until it is back, so a duplicate sent to another instance meanwhile is not recognised.")]
        public static partial void Unavailable(ILogger logger, string error);
    }
}
