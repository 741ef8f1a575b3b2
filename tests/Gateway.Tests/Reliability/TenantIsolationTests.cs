using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Reliability;

/// <summary>Two Pages, two tokens, one gateway: nothing read with one token ever answers a request made with the other.</summary>
public sealed class TenantIsolationTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    [Fact]
    public async Task Interleaved_concurrent_queries_of_two_pages_never_cross()
    {
        var host = await hosts.ForTestAsync();
        var pages = host.Emulator.Seed;
        var owned = host.Emulator.Data.Pages.ToDictionary(p => p.PageId, p => p.Conversations.Select(c => c.Id).ToHashSet());
        const string query = """
            query($page: ID!, $platform: Platform!) { page(id: $page) { conversations(platform: $platform, first: 5) {
              nodes { metaId participants { id } messages(first: 3) { nodes { id from { id } } } } } } }
            """;

        var results = await Task.WhenAll(Enumerable.Range(0, 240).Select(async i =>
        {
            var page = pages[i % 2];
            var result = await host.QueryAsync(query, new { page = page.PageId, platform = i % 4 < 2 ? "MESSENGER" : "INSTAGRAM" }, page.AccessToken);
            return (page, result);
        }));

        foreach (var (page, result) in results)
        {
            Assert.Null(result["errors"]);
            var conversations = result.At("data.page.conversations.nodes")!.AsArray();
            Assert.NotEmpty(conversations);
            Assert.All(conversations, c => Assert.Contains(c!["metaId"]!.GetValue<string>(), owned[page.PageId]));
        }
    }

    [Fact]
    public async Task A_token_for_page_A_asking_for_page_B_gets_a_permission_error_and_nothing_of_B()
    {
        var host = await hosts.ForTestAsync();
        var (a, b) = (host.Emulator.Seed[0], host.Emulator.Seed[1]);
        var conversationOfB = host.Emulator.Data.Pages[1].Conversations[0].Id;

        var page = await host.QueryAsync($$"""query { page(id: "{{b.PageId}}") { conversations(platform: MESSENGER) { nodes { id snippet } } } }""", token: a.AccessToken);
        var node = await host.QueryAsync($$"""query { conversation(id: "{{conversationOfB}}") { id snippet } }""", token: a.AccessToken);

        Assert.Equal("META_PERMISSION_DENIED", page.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Null(page.At("data.page.conversations"));
        Assert.Equal("META_NOT_FOUND", node.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Null(node.At("data.conversation"));
        Assert.DoesNotContain(conversationOfB, page.ToJsonString());
    }
}
