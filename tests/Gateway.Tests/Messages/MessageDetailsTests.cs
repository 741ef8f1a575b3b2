using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Messages;

public sealed class MessageDetailsTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    [Fact]
    public async Task Messages_past_the_20_newest_have_no_details_and_no_error_and_are_never_read()
    {
        var host = await hosts.ForTestAsync();
        var conversationId = await host.ConversationWithAtLeastAsync(30);
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync($$"""
            query { conversation(id: "{{conversationId}}") { messages(first: 30) { nodes { id detailsAvailable from { id } message } } } }
            """);

        Assert.Null(result["errors"]);
        var nodes = result.At("data.conversation.messages.nodes")!.AsArray();
        Assert.Equal(30, nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
        {
            Assert.Equal(i < 20, nodes[i]!["detailsAvailable"]!.GetValue<bool>());
            Assert.Equal(i < 20, nodes[i]!["from"] is not null);
        }
        var call = Assert.Single(host.UpstreamCalls);
        Assert.DoesNotContain(nodes.Skip(20), n => call.Query.Contains(n!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_old_message_read_by_id_resolves_without_details_and_without_error()
    {
        var host = await hosts.ForTestAsync();
        var conversationId = await host.ConversationWithAtLeastAsync(25);
        var listing = await host.QueryAsync($$"""query { conversation(id: "{{conversationId}}") { messages(first: 25) { nodes { id } } } }""");
        var oldId = listing.At("data.conversation.messages.nodes.22.id")!.GetValue<string>();
        var newId = listing.At("data.conversation.messages.nodes.0.id")!.GetValue<string>();
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync($$"""
            query { old: message(id: "{{oldId}}") { id detailsAvailable from { id } message }
                    new: message(id: "{{newId}}") { id detailsAvailable from { id } } }
            """);

        Assert.Null(result["errors"]);
        Assert.False(result.At("data.old.detailsAvailable")!.GetValue<bool>());
        Assert.Null(result.At("data.old.from"));
        Assert.Null(result.At("data.old.message"));
        Assert.True(result.At("data.new.detailsAvailable")!.GetValue<bool>());
        Assert.NotNull(result.At("data.new.from.id"));
    }

    [Fact]
    public async Task The_same_message_through_two_aliases_is_read_once()
    {
        var host = await hosts.ForTestAsync();
        var id = (await host.RecentMessageIdsAsync(1))[0];
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync($$"""
            query { a: message(id: "{{id}}") { metaId from { id } } b: message(id: "{{id}}") { id from { id } message } }
            """);

        Assert.Null(result["errors"]);
        Assert.Equal(result.At("data.a.from.id")!.GetValue<string>(), result.At("data.b.from.id")!.GetValue<string>());
        var call = Assert.Single(host.UpstreamCalls);
        Assert.Contains("ids=" + Uri.EscapeDataString(result.At("data.a.metaId")!.GetValue<string>()), call.Query);
    }

    [Fact]
    public async Task One_hundred_twenty_message_fields_cost_three_calls()
    {
        var host = await hosts.ForTestAsync();
        var ids = await host.RecentMessageIdsAsync(120);
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync("query { " + string.Join(" ", ids.Select((id, i) => $$"""m{{i}}: message(id: "{{id}}") { id message from { id } }""")) + " }");

        Assert.Null(result["errors"]);
        Assert.Equal(3, host.UpstreamCalls.Count);
        Assert.All(host.UpstreamCalls, call => Assert.Contains("ids=", call.Query));
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(ids[i], result.At($"data.m{i}.id")!.GetValue<string>());
        }
    }
}

public static class MessageQueriesForTests
{
    /// <summary>Ids of messages within their conversation's 20 newest, so they all have details.</summary>
    public static async Task<IReadOnlyList<string>> RecentMessageIdsAsync(this GatewayHost host, int count)
    {
        var result = await host.QueryAsync($$"""
            query { page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 50) { nodes { messages(first: 20) { nodes { id } } } } } }
            """);
        var ids = result.At("data.page.conversations.nodes")!.AsArray()
            .SelectMany(c => c!["messages"]!["nodes"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()))
            .Take(count).ToList();
        Assert.Equal(count, ids.Count);
        return ids;
    }

    public static async Task<string> ConversationWithAtLeastAsync(this GatewayHost host, int messages)
    {
        var result = await host.QueryAsync($$"""
            query { page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 50) { nodes { id messageCount } } } }
            """);
        return result.At("data.page.conversations.nodes")!.AsArray()
            .First(c => c!["messageCount"]!.GetValue<int>() >= messages)!["id"]!.GetValue<string>();
    }
}
