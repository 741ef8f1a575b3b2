using Gateway.Configuration;
using StackExchange.Redis;

namespace Gateway.Redis;

public static class RedisConnection
{
    /// <summary>One connection to Redis for the cache, the shared per-Page budget and event fan-out, when
    /// <c>ConnectionStrings:Redis</c> is set. It never fails start-up and reconnects by itself: while Redis is away the
    /// gateway serves from memory and Graph, and <c>/health/ready</c> says it is degraded.</summary>
    public static IHostApplicationBuilder AddRedisConnection(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetConnectionString("Redis") is not { Length: > 0 } connectionString)
        {
            return builder;
        }
        builder.Services.AddValidatedOptions<RedisOptions>(RedisOptions.Section);
        builder.Services.AddSingleton<RedisKeys>();
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2_000;
        options.SyncTimeout = 1_000;
        options.AsyncTimeout = 1_000;
        // While disconnected a command fails at once instead of waiting in a backlog for the timeout: every caller (cache,
        // governor, fan-out) has an in-process answer, so a read never waits on a Redis that is gone.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        // Back within a second of Redis (the default backs off exponentially, so a longer outage meant a longer wait after it).
        options.ReconnectRetryPolicy = new LinearRetry(1_000);
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        return builder;
    }
}
