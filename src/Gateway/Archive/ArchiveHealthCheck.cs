using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Archive;

/// <summary>For <c>/health/ready</c>: the archive's database answers a <c>SELECT 1</c>. Without it the gateway still
/// serves what Meta gives, so it is registered as degraded rather than unhealthy.</summary>
public sealed class ArchiveHealthCheck(ArchiveDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy("The message archive's database answers.");
        }
        catch (Exception error) when (ArchiveDatabase.IsUnavailable(error))
        {
            database.ForgetConnections();
            return new HealthCheckResult(context.Registration.FailureStatus, "The message archive's database does not answer.");
        }
    }
}
