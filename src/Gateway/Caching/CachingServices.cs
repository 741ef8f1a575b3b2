using Gateway.Configuration;
using Gateway.Redis;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Locking.Distributed.Redis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Gateway.Caching;

public static class CachingServices
{
    /// <summary>The cache of Graph answers: in memory, and with <c>ConnectionStrings:Redis</c> also in Redis (second
    /// level) with a backplane, so every instance serves what any instance fetched and drops what any invalidated.</summary>
    public static IHostApplicationBuilder AddGraphResultCache(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<GraphCacheOptions>(GraphCacheOptions.Section);
        builder.Services.AddSingleton<GraphResultCache>();
        builder.Services.AddScoped<ResponseFreshness>();
        builder.Services.AddSingleton<ResponseCache>();
        // The same prefix in memory as in Redis, so one name means one answer everywhere.
        var keys = new RedisKeys(Options.Create(builder.Configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions()));
        var cache = builder.Services.AddFusionCache().WithOptions(options =>
        {
            options.CacheKeyPrefix = keys.GraphCache;
            options.BackplaneChannelPrefix = keys.GraphCacheBackplane;
            // Graph errors and the gateway's own (rate limited, budget) reach the resolver as they are.
            options.ReThrowOriginalExceptions = true;
        });
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 })
        {
            // Fields on: value tuples survive the round trip through Redis.
            cache.WithSerializer(new FusionCacheSystemTextJsonSerializer(new System.Text.Json.JsonSerializerOptions { IncludeFields = true }))
                .WithDistributedCache(provider => new RedisCache(new RedisCacheOptions
                {
                    ConnectionMultiplexerFactory = () => Task.FromResult(provider.GetRequiredService<IConnectionMultiplexer>()),
                }))
                .WithBackplane(provider => new RedisBackplane(new RedisBackplaneOptions
                {
                    ConnectionMultiplexerFactory = () => Task.FromResult(provider.GetRequiredService<IConnectionMultiplexer>()),
                }))
                // One instance refreshes an answer while the others wait for it in Redis: after a webhook every instance
                // misses at once, and without this each would spend one of the Page's two calls on the same read.
                .WithDistributedLocker(provider => new RedisDistributedLocker(Options.Create(new RedisDistributedLockerOptions
                {
                    ConnectionMultiplexerFactory = () => Task.FromResult(provider.GetRequiredService<IConnectionMultiplexer>()),
                }), provider.GetRequiredService<ILogger<RedisDistributedLocker>>()));
        }
        return builder;
    }
}
