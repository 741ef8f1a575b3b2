using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Errors;

public sealed class GraphErrorTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    [Fact]
    public async Task An_invalid_token_fails_its_branch_with_a_code_and_trace_id_and_leaks_nothing()
    {
        var host = await hosts.ForTestAsync();
        const string token = "EAAInvalidTokenThatMustNeverBeEchoed";

        var result = await host.QueryAsync($$"""query { page(id: "{{host.Page.PageId}}") { metaId conversations(platform: MESSENGER) { nodes { id } } } }""", token: token);

        Assert.Equal(host.Page.PageId, result.At("data.page.metaId")!.GetValue<string>());
        Assert.Null(result.At("data.page.conversations"));
        var error = Assert.Single(result["errors"]!.AsArray());
        Assert.Equal("META_TOKEN_INVALID", error.At("extensions.code")!.GetValue<string>());
        Assert.NotNull(error.At("extensions.fbtraceId"));
        Assert.DoesNotContain(token, result.ToJsonString());
        Assert.DoesNotContain("   at ", result.ToJsonString());
    }

    [Fact]
    public async Task A_failing_branch_leaves_the_other_branches_their_data()
    {
        var host = await hosts.ForTestAsync();
        var other = host.Emulator.Seed[1];

        var result = await host.QueryAsync($$"""
            query { mine: page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 2) { nodes { id } } }
                    theirs: page(id: "{{other.PageId}}") { conversations(platform: MESSENGER, first: 2) { nodes { id } } } }
            """);

        Assert.Equal(2, result.At("data.mine.conversations.nodes")!.AsArray().Count);
        Assert.Null(result.At("data.theirs.conversations"));
        var error = Assert.Single(result["errors"]!.AsArray());
        Assert.Equal("META_PERMISSION_DENIED", error.At("extensions.code")!.GetValue<string>());
        Assert.Equal(["theirs", "conversations"], error!["path"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task Without_any_token_the_error_says_how_to_send_one()
    {
        var host = await hosts.ForTestAsync();
        using var response = await host.Client.PostAsync("/graphql", new StringContent(
            $$"""{"query":"{ page(id: \"{{host.Page.PageId}}\") { conversations(platform: MESSENGER) { nodes { id } } } }"}""",
            System.Text.Encoding.UTF8, "application/json"));

        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("META_TOKEN_MISSING", body);
        Assert.Contains("Authorization: Bearer", body);
        Assert.Empty(host.UpstreamCalls);
    }
}
