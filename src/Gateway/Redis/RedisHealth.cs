using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Gateway.Redis;

/// <summary>Redis shares the cache, the per-Page budget and events between instances. Without it an instance still
/// serves (from memory and Graph), so it is degraded, not unhealthy; it reconnects by itself.</summary>
internal sealed class RedisHealth(IConnectionMultiplexer redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(redis.IsConnected
            ? HealthCheckResult.Healthy("Redis is connected: cache, budget and events are shared.")
            : HealthCheckResult.Degraded("Redis is unreachable: this instance serves from memory and Graph alone until it reconnects."));
}
