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
            settings: new Dictionary<string, string?>
            {
                ["Meta:RateLimit:CallsPerSecond"] = "2", ["Meta:RateLimit:MaxQueueWait"] = "00:00:01.500",
                // Every read a live call: the governor is what is tested here (CacheTests show the burst served from one call).
                ["Gateway:Cache:Enabled"] = "false",
            });
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

public sealed class PageAllowanceTests
{
    private static readonly Dictionary<string, string?> MetasAllowance = new()
    {
        ["Meta:RateLimit:CallsPerSecond"] = "2",
        ["Meta:RateLimit:MaxQueueWait"] = "00:00:03",
    };

    /// <summary>Meta counts each id of an <c>ids=</c> read. Three <c>message(id:)</c> lookups used to go out as one
    /// three-id read, which Meta refused and answered by locking the Page for a minute. They now go out as reads the
    /// window can afford, and the Page's inbox still reads right after.</summary>
    [Fact]
    public async Task A_three_id_lookup_at_metas_allowance_is_split_so_meta_never_refuses_and_the_page_stays_usable()
    {
        await using var host = await GatewayHost.StartAsync(new EmulatorOptions { RateLimitPerSecond = 2 }, settings: MetasAllowance);
        var ids = host.Emulator.Data.Pages[0].Conversations[0].Messages.Take(3).Select(message => message.Id).ToList();
        var lookup = $$"""{ a: message(id: "{{ids[0]}}") { metaId message } b: message(id: "{{ids[1]}}") { metaId message } c: message(id: "{{ids[2]}}") { metaId message } }""";

        var answer = await host.QueryAsync(lookup);
        var inbox = await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Page.PageId });

        Assert.Null(answer["errors"]);
        Assert.Equal(ids, new[] { "a", "b", "c" }.Select(alias => answer.At($"data.{alias}.metaId")!.GetValue<string>()));
        Assert.Null(inbox["errors"]);
        var idReads = host.UpstreamCalls.Where(call => call.Query.Contains("ids=")).ToList();
        Assert.Equal(2, idReads.Count);
        Assert.All(idReads, call => Assert.True(Ids(call) <= 2, call.Query));
    }

    /// <summary>Two admins' tokens of one Page share the Page's allowance, as Meta counts it: together they never make
    /// Meta refuse a call.</summary>
    [Fact]
    public async Task Two_tokens_of_one_page_share_its_allowance()
    {
        await using var host = await GatewayHost.StartAsync(new EmulatorOptions { RateLimitPerSecond = 2 },
            settings: new Dictionary<string, string?>
            {
                ["Meta:RateLimit:CallsPerSecond"] = "2", ["Meta:RateLimit:MaxQueueWait"] = "00:00:01", ["Gateway:Cache:Enabled"] = "false",
            });
        var secondToken = host.Emulator.Data.IssueAccessToken(host.Page.PageId);
        const string inbox = """query($page: ID!) { page(id: $page) { conversations(platform: MESSENGER, first: 3) { nodes { id } } } }""";

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            host.QueryAsync(inbox, new { page = host.Page.PageId }, i % 2 == 0 ? host.Page.AccessToken : secondToken)));

        var errors = results.SelectMany(result => result["errors"]?.AsArray() ?? []).ToList();
        Assert.All(errors, error =>
        {
            Assert.Equal("META_RATE_LIMITED", error.At("extensions.code")!.GetValue<string>());
            Assert.Null(error.At("extensions.metaCode"));
        });
        var served = results.Count(result => result["errors"] is null);
        Assert.InRange(served, 2, 6);
        Assert.Equal(served, host.UpstreamCalls.Count);
    }

    /// <summary>A retry is a call to Meta too. With one call per second, a failed call's retry 200 ms later has no turn:
    /// it fails as rate limited instead of reaching Meta beyond the allowance.</summary>
    [Fact]
    public async Task Retries_are_priced_like_any_other_call()
    {
        await using var host = await GatewayHost.StartAsync(new EmulatorOptions { RateLimitPerSecond = 1, FaultRate = 1.0 },
            settings: new Dictionary<string, string?> { ["Meta:RateLimit:CallsPerSecond"] = "1", ["Meta:RateLimit:MaxQueueWait"] = "00:00:00.300" },
            configurePages: true);

        var answer = await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Page.PageId });

        Assert.Equal("META_RATE_LIMITED", answer.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Single(host.UpstreamCalls);
    }

    private static int Ids(RecordedRequest call)
        => Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(call.Query)["ids"].ToString().Split(',').Length;
}

public sealed class OpenCircuitTests
{
    /// <summary>While the circuit is open, a call fails at once as unavailable: it never queues for the Page's allowance
    /// (before, calls waited their turn and then failed as rate limited), and nothing reaches Meta.</summary>
    [Fact]
    public async Task With_the_circuit_open_calls_fail_as_unavailable_without_waiting_for_a_turn()
    {
        await using var host = await GatewayHost.StartAsync(new EmulatorOptions { FaultRate = 1.0 }, configurePages: true,
            settings: new Dictionary<string, string?>
            {
                ["Meta:RateLimit:CallsPerSecond"] = "25", ["Meta:RateLimit:MaxQueueWait"] = "00:00:01", ["Gateway:Cache:Enabled"] = "false",
            });
        const string inbox = """query($page: ID!) { page(id: $page) { conversations(platform: MESSENGER, first: 1) { nodes { id } } } }""";
        // Seven failing reads are 21 failing attempts with their retries: past the breaker's minimum of 20, it opens.
        await Task.WhenAll(Enumerable.Range(0, 7).Select(_ => host.QueryAsync(inbox, new { page = host.Page.PageId })));
        host.Emulator.ResetRequests();

        var whileOpen = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => host.QueryAsync(inbox, new { page = host.Page.PageId })));

        Assert.All(whileOpen, answer => Assert.Equal("UPSTREAM_UNAVAILABLE", answer.At("errors.0.extensions.code")!.GetValue<string>()));
        Assert.Empty(host.UpstreamCalls);
    }
}
