using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Inbox;

/// <summary>With Redis, an instance hears the webhooks Meta posts to the other instances only while it listens to the
/// events' channel; until it does (Redis did not answer when it started), its subscribers hear only what reaches it.</summary>
public sealed class InboxSpineHealth(RedisInboxEventBus bus) : IHealthCheck
{
    public const string Name = "inbox-spine";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(bus.Listening
            ? HealthCheckResult.Healthy("Listening to every instance's inbox events.")
            : HealthCheckResult.Degraded("Not listening to the other instances' inbox events yet: Redis has not answered since start-up."));
}
