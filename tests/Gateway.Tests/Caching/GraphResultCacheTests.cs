using Gateway.Caching;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Caching;

public sealed class GraphResultCacheTests
{
    private static readonly Dictionary<string, string?> MetasAllowance = new()
    {
        ["Meta:RateLimit:CallsPerSecond"] = "2",
    };

    /// <summary>A support team reading one Page's inbox at once shares one Graph call, then none while the answer
    /// lives: the Page's two calls per second are no longer the team's ceiling.</summary>
    [Fact]
    public async Task Twenty_agents_reading_one_inbox_at_once_cost_one_graph_call_and_then_none()
    {
        await using var host = await GatewayHost.StartAsync(new EmulatorOptions { RateLimitPerSecond = 2 }, settings: MetasAllowance, configurePages: true);
        var inbox = GatewayHost.Operation("inbox");
        var variables = new { pageId = host.Page.PageId };

        var first = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => host.QueryAsync(inbox, variables)));
        var callsAfterFirst = host.UpstreamCalls.Count;
        var second = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => host.QueryAsync(inbox, variables)));

        Assert.All(first.Concat(second), answer => Assert.Null(answer["errors"]));
        Assert.All(first.Concat(second), answer => Assert.Equal(first[0]["data"]!.Compact(), answer["data"]!.Compact()));
        Assert.Equal(1, callsAfterFirst);
        Assert.Single(host.UpstreamCalls);
    }

    /// <summary>An answer fetched with one forwarded token is never served to another token, even of the same Page (only
    /// tokens the server holds share answers), nor across Pages.</summary>
    [Fact]
    public async Task A_cached_answer_is_served_only_to_the_token_that_fetched_it()
    {
        await using var host = await GatewayHost.StartAsync();
        var otherTokenOfThePage = host.Emulator.Data.IssueAccessToken(host.Page.PageId);
        var otherPage = host.Emulator.Seed[1];
        var inbox = GatewayHost.Operation("inbox");

        var byFirstToken = await host.QueryAsync(inbox, new { pageId = host.Page.PageId });
        var bySecondToken = await host.QueryAsync(inbox, new { pageId = host.Page.PageId }, otherTokenOfThePage);
        var byOtherPage = await host.QueryAsync(inbox, new { pageId = host.Page.PageId }, otherPage.AccessToken);

        Assert.Null(byFirstToken["errors"]);
        Assert.Null(bySecondToken["errors"]);
        // Each token's read went to Graph itself; the other Page's token was refused there, not served from the cache.
        Assert.Equal(3, host.UpstreamCalls.Count(call => call.Path.Contains(host.Page.PageId)));
        Assert.Equal("META_PERMISSION_DENIED", byOtherPage.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Null(byOtherPage.At("data.page.conversations"));
    }

    /// <summary>What a webhook reports (a new message in a conversation) drops that conversation's answers and the Page's
    /// listings, so the next read goes to Graph; other conversations' answers stay.</summary>
    [Fact]
    public async Task A_conversation_change_drops_its_answers_and_the_pages_listings_only()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true);
        var conversations = host.Emulator.Data.Pages[0].Conversations;
        var (changed, untouched) = (conversations[0].Id, conversations[1].Id);
        const string thread = """query($id: ID!) { conversation(id: $id) { id messages(first: 3) { nodes { id message } } } }""";
        await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Page.PageId });
        await host.QueryAsync(thread, new { id = changed });
        await host.QueryAsync(thread, new { id = untouched });
        host.Emulator.ResetRequests();

        await host.Services.GetRequiredService<GraphResultCache>().ConversationChangedAsync(host.Page.PageId, changed);
        await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Page.PageId });
        await host.QueryAsync(thread, new { id = changed });
        await host.QueryAsync(thread, new { id = untouched });

        Assert.Equal(2, host.UpstreamCalls.Count);
        Assert.Contains(host.UpstreamCalls, call => call.Path.EndsWith("/conversations", StringComparison.Ordinal));
        Assert.Contains(host.UpstreamCalls, call => call.Query.Contains(changed));
        Assert.DoesNotContain(host.UpstreamCalls, call => call.Query.Contains(untouched));
    }

    /// <summary>While Graph fails, the last good answer is served (no error) and says it is stale. The answer is expired
    /// the way a webhook expires it (by its tag), and the reader waits for the refresh to fail.</summary>
    [Fact]
    public async Task While_graph_fails_the_last_good_answer_is_served_and_marked_stale()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true,
            settings: new Dictionary<string, string?> { ["Gateway:Cache:RefreshWait"] = "00:01:00" });
        var inbox = GatewayHost.Operation("inbox");
        var fresh = await host.QueryAsync(inbox, new { pageId = host.Page.PageId });
        host.Emulator.Configure(new EmulatorRuntimeConfig(FaultRate: 1.0));
        await host.Services.GetRequiredService<GraphResultCache>().ListingsChangedAsync(host.Page.PageId);

        var stale = await host.QueryAsync(inbox, new { pageId = host.Page.PageId });

        Assert.Null(fresh["extensions"]);
        Assert.Null(stale["errors"]);
        Assert.Equal(fresh["data"]!.Compact(), stale["data"]!.Compact());
        Assert.True(stale.At("extensions.cache.stale")!.GetValue<bool>());
        Assert.True(stale.At("extensions.cache.age")!.GetValue<int>() >= 1);
        Assert.Equal("UPSTREAM_UNAVAILABLE", stale.At("extensions.cache.reason")!.GetValue<string>());
        Assert.NotEmpty(host.UpstreamCalls.Where(call => call.Path.EndsWith("/conversations", StringComparison.Ordinal)).Skip(1));
    }
}
