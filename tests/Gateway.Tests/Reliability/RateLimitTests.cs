using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;

namespace Gateway.Tests.Reliability;

public sealed class RateLimitTests
{
    /// <summary>Meta enforces 2 calls per second per Page (the emulator too); the gateway's own limiter keeps its calls
    /// under that, failing what cannot wait with <c>META_RATE_LIMITED</c> and a <c>retryAfter</c>, so Meta never has
    /// to refuse a call. Another Page's budget is its own.</summary>
    [Fact]
    public async Task A_burst_against_one_page_never_trips_metas_limit_and_leaves_other_pages_alone()
    {
        await using var host = await GatewayHost.StartAsync(new EmulatorOptions { RateLimitPerSecond = 2 },
            settings: new Dictionary<string, string?> { ["Meta:RateLimit:CallsPerSecond"] = "2", ["Meta:RateLimit:MaxQueueWait"] = "00:00:01.500" });
        var (busy, quiet) = (host.Emulator.Seed[0], host.Emulator.Seed[1]);
        const string inbox = """query($page: ID!) { page(id: $page) { conversations(platform: MESSENGER, first: 3) { nodes { id } } } }""";

        var burst = Task.WhenAll(Enumerable.Range(0, 100).Select(_ => host.QueryAsync(inbox, new { page = busy.PageId }, busy.AccessToken)));
        var other = await host.QueryAsync(inbox, new { page = quiet.PageId }, quiet.AccessToken);
        var results = await burst;

        Assert.Null(other["errors"]);
        var errors = results.SelectMany(r => r["errors"]?.AsArray() ?? []).ToList();
        Assert.All(errors, error =>
        {
            Assert.Equal("META_RATE_LIMITED", error.At("extensions.code")!.GetValue<string>());
            Assert.Null(error.At("extensions.metaCode"));
            Assert.True(error.At("extensions.retryAfter")!.GetValue<int>() >= 1);
        });
        var served = results.Count(r => r["errors"] is null);
        Assert.InRange(served, 2, 12);
        Assert.Equal(served, host.UpstreamCalls.Count(call => call.Path.Contains(busy.PageId)));
    }
}
