using System.Net;
using Gateway.Tests.Infrastructure;
using Gateway.Upstream;
using MetaGraph;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Reliability;

public sealed class UpstreamHealthTests
{
    [Fact]
    public async Task Readiness_follows_the_graph_api_without_spending_any_page_allowance()
    {
        await using var host = await GatewayHost.StartAsync(new MetaGraph.Emulator.EmulatorOptions { RateLimitPerSecond = 1 });

        using var ready = await host.Client.GetAsync("/health/ready");
        using var againAtOnce = await host.Client.GetAsync("/health/ready");
        var probes = host.Emulator.Requests.ToList();
        // With an allowance of one call per second, a Page read right after two probes still goes through.
        var inbox = await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Page.PageId });
        await host.Emulator.DisposeAsync();
        using var unreachable = await host.Client.GetAsync("/health/ready");
        using var live = await host.Client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, againAtOnce.StatusCode);
        // Token-less: Meta can charge no Page for them.
        Assert.Equal(2, probes.Count);
        Assert.All(probes, probe => Assert.DoesNotContain("access_token", probe.Query, StringComparison.Ordinal));
        Assert.Null(inbox["errors"]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unreachable.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    /// <summary>Meta's <c>estimated_time_to_regain_access</c> (minutes) makes the gateway refuse that Page's calls at once,
    /// without calling Meta, while other Pages carry on.</summary>
    [Fact]
    public async Task A_page_meta_asked_to_wait_is_refused_fast_until_it_may_call_again()
    {
        await using var host = await GatewayHost.StartAsync();
        var governor = host.Services.GetRequiredService<PageCallGovernor>();
        var usage = new GraphUsage(null, new Dictionary<string, IReadOnlyList<BusinessUseCaseUsage>>
        {
            [host.Page.PageId] = [new BusinessUseCaseUsage("messenger", 100, 40, 40, TimeSpan.FromMinutes(3))],
        });
        governor.Observe(host.Page.PageId, MetaApi.Conversations, usage, wasRateLimited: true);

        var blocked = await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Page.PageId });
        var other = await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Emulator.Seed[1].PageId }, host.Emulator.Seed[1].AccessToken);

        Assert.Equal("META_RATE_LIMITED", blocked.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.InRange(blocked.At("errors.0.extensions.retryAfter")!.GetValue<int>(), 170, 180);
        Assert.Null(other["errors"]);
        Assert.DoesNotContain(host.UpstreamCalls, call => call.Path.Contains(host.Page.PageId));
    }
}
