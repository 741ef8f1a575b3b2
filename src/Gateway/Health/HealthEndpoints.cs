using Gateway.Redis;
using MetaGraph;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Gateway.Health;

public static class HealthEndpoints
{
    /// <summary>The tag of the checks <c>/health/ready</c> runs.</summary>
    public const string Ready = "ready";

    public static IHostApplicationBuilder AddGatewayHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpClient(GraphApiReachability.ClientName, client => client.Timeout = TimeSpan.FromSeconds(3));
        var checks = builder.Services.AddHealthChecks().AddCheck<GraphApiReachability>("graph-api", tags: [Ready]);
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 })
        {
            checks.AddCheck<RedisHealth>("redis", tags: [Ready]);
        }
        return builder;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: and the Graph API host is reachable (and
    /// Redis and the archive's database answer, where configured; without them it is degraded).</summary>
    public static IEndpointRouteBuilder MapGatewayHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) });
        // Degraded (Redis away) still answers 200 with "Degraded": the instance serves.
        return endpoints;
    }
}

/// <summary>
/// Asks the Graph API host for its version root without a token: Meta answers such a call with an auth error at once,
/// which proves the host is reachable without spending any Page's allowance. Any HTTP answer counts as reachable.
/// </summary>
internal sealed class GraphApiReachability(IHttpClientFactory clients, IOptions<MetaGraphOptions> options) : IHealthCheck
{
    public const string ClientName = "graph-api-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await clients.CreateClient(ClientName)
                .GetAsync(options.Value.VersionedBaseAddress, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return HealthCheckResult.Healthy($"Graph API answered {(int)response.StatusCode}.");
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy("Graph API is unreachable.");
        }
    }
}
