using System.Text;
using Gateway.DataLoading;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Limits;

/// <summary>Expensive operations are refused before they cost Graph API calls, and the process stays healthy.</summary>
public sealed class QueryLimitsTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    [Fact]
    public async Task A_query_nested_100_deep_is_refused()
    {
        var host = await hosts.ForTestAsync();
        var query = new StringBuilder("query { ");
        for (var i = 0; i < 100; i++)
        {
            query.Append("__schema { types { fields { type { ofType { ");
        }

        var result = await host.QueryAsync(query.ToString());

        Assert.Null(result["data"]);
        Assert.NotEmpty(result["errors"]!.AsArray());
        Assert.Empty(host.UpstreamCalls);
        await AssertHealthyAsync(host);
    }

    /// <summary>The gateway's own depth limit (not the parser's, which allows far deeper documents): with the limit set
    /// to 6, a query 6 fields deep runs and one 7 deep is refused before any Graph call, with the limit in the message.</summary>
    [Fact]
    public async Task Nesting_past_the_configured_depth_is_refused_by_the_gateways_own_rule()
    {
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:Limits:MaxDepth"] = "6" });
        var atTheLimit = $$"""query { page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 1) { nodes { messages(first: 1) { nodes { id } } } } } }""";
        var pastTheLimit = $$"""query { page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 1) { nodes { messages(first: 1) { nodes { from { name } } } } } } }""";

        var allowed = await host.QueryAsync(atTheLimit);
        host.Emulator.ResetRequests();
        var refused = await host.QueryAsync(pastTheLimit);

        Assert.Null(allowed["errors"]);
        var error = Assert.Single(refused["errors"]!.AsArray());
        Assert.Equal("COMPLEXITY", error.At("extensions.code")!.GetValue<string>());
        Assert.Contains("maximum allowed on this endpoint is 6", error!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(refused["data"]);
        Assert.Empty(host.UpstreamCalls);
    }

    [Fact]
    public async Task A_thousand_aliases_of_one_field_are_refused()
    {
        var host = await hosts.ForTestAsync();
        var query = "query { " + string.Join(" ", Enumerable.Range(0, 1000).Select(i => $$"""a{{i}}: page(id: "{{host.Page.PageId}}") { id }""")) + " }";

        var result = await host.QueryAsync(query);

        var error = Assert.Single(result["errors"]!.AsArray());
        Assert.Equal("ALIASES_LIMIT", error.At("extensions.code")!.GetValue<string>());
        Assert.Empty(host.UpstreamCalls);
    }

    [Fact]
    public async Task A_50_by_50_by_50_connection_explosion_is_refused_by_complexity()
    {
        var host = await hosts.ForTestAsync();
        var page = $$"""page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 50) { nodes { messages(first: 50) { nodes { id message from { name } } } } } }""";
        var query = "query { " + string.Join(" ", Enumerable.Range(0, 50).Select(i => $"p{i}: {page}")) + " }";

        var result = await host.QueryAsync(query);

        Assert.Null(result["data"]);
        Assert.Contains("complexity", result["errors"]!.AsArray()[0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(host.UpstreamCalls);
    }

    [Fact]
    public async Task The_largest_legitimate_inbox_fits_the_limits()
    {
        var host = await hosts.ForTestAsync();

        var result = await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Page.PageId, conversations = 50, messages = 50 });

        Assert.Null(result["errors"]);
    }

    [Fact]
    public async Task Past_the_call_budget_the_remaining_fields_fail_with_a_code()
    {
        // Without push-down the messages are a second call, which a budget of one refuses.
        await using var host = await GatewayHost.StartAsync(mode: ExecutionMode.Batched,
            settings: new Dictionary<string, string?> { ["Gateway:Budget:MaxUpstreamCallsPerOperation"] = "1" });

        var result = await host.QueryAsync($$"""
            query { page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 2) { nodes { id messages(first: 2) { nodes { id } } } } } }
            """);

        Assert.Equal(2, result.At("data.page.conversations.nodes")!.AsArray().Count);
        Assert.All(result["errors"]!.AsArray(), error => Assert.Equal("UPSTREAM_BUDGET_EXCEEDED", error.At("extensions.code")!.GetValue<string>()));
        Assert.Single(host.UpstreamCalls);
    }

    private static async Task AssertHealthyAsync(GatewayHost host)
    {
        using var response = await host.Client.GetAsync("/health/live");
        Assert.True(response.IsSuccessStatusCode);
    }
}
