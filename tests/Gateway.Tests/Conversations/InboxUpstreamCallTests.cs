using Gateway.Api;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Conversations;

/// <summary>How many Graph API calls a query costs, read from the emulator's request log.</summary>
public sealed class InboxUpstreamCallTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    [Theory]
    [InlineData(10, 10)]
    [InlineData(50, 20)]
    [InlineData(50, 50)]
    public async Task Inbox_with_message_details_is_one_call(int conversations, int messages)
    {
        await using var host = await GatewayHost.StartAsync(new() { ConversationsPerPlatform = 80 });

        var result = await host.QueryAsync($$"""
            query { page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: {{conversations}}) {
              nodes { id messages(first: {{messages}}) { nodes { id from { name } message } } } } } }
            """);

        Assert.Null(result["errors"]);
        var nodes = result.At("data.page.conversations.nodes")!.AsArray();
        Assert.Equal(conversations, nodes.Count);
        var call = Assert.Single(host.UpstreamCalls);
        Assert.EndsWith($"/{host.Page.PageId}/conversations", call.Path);
        Assert.Equal($"id,messages.limit({messages}){{id,created_time,from,message}}", call.Fields());
    }

    [Fact]
    public async Task Every_operation_in_schema_operations_is_one_call()
    {
        var host = await hosts.ForTestAsync();
        var inbox = await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Page.PageId });
        Assert.Null(inbox["errors"]);
        Assert.Single(host.UpstreamCalls);

        var conversation = inbox.At("data.page.conversations.edges.0.node")!;
        var userId = conversation["participants"]!.AsArray().Select(p => p!["id"]!.GetValue<string>())
            .First(id => id != GlobalIds.Encode(GlobalIds.Participant, host.Page.PageId));
        host.Emulator.ResetRequests();
        var thread = await host.QueryAsync(GatewayHost.Operation("thread"), new { conversationId = conversation["id"]!.GetValue<string>() });
        Assert.Null(thread["errors"]);
        Assert.Single(host.UpstreamCalls);

        host.Emulator.ResetRequests();
        var found = await host.QueryAsync(GatewayHost.Operation("find-by-user"), new { pageId = host.Page.PageId, platform = "MESSENGER", userId });
        Assert.Null(found["errors"]);
        Assert.Equal(conversation["id"]!.GetValue<string>(), found.At("data.page.conversations.edges.0.node.id")!.GetValue<string>());
        Assert.Single(host.UpstreamCalls);
    }

    [Fact]
    public async Task Inbox_returns_the_emulators_conversations_and_messages()
    {
        var host = await hosts.ForTestAsync();

        var result = await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Page.PageId, conversations = 5, messages = 3 });

        var listing = await host.GraphApiAsync(
            $"{host.Page.PageId}/conversations?platform=messenger&limit=5&fields=id,snippet,messages.limit(3){{id,message}}");
        var expected = listing["data"]!.AsArray();
        var actual = result.At("data.page.conversations.edges")!.AsArray().Select(edge => edge!["node"]!).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(GlobalIds.Encode(GlobalIds.Conversation, expected[i]!["id"]!.GetValue<string>()), actual[i]["id"]!.GetValue<string>());
            Assert.Equal(expected[i]!["snippet"]?.GetValue<string>(), actual[i]["snippet"]?.GetValue<string>());
            var expectedMessages = expected[i]!["messages"]!["data"]!.AsArray();
            var actualMessages = actual[i]["messages"]!["edges"]!.AsArray().Select(edge => edge!["node"]!).ToList();
            Assert.Equal(expectedMessages.Select(m => GlobalIds.Encode(GlobalIds.Message, m!["id"]!.GetValue<string>())), actualMessages.Select(m => m["id"]!.GetValue<string>()));
            Assert.Equal(expectedMessages.Select(m => m!["message"]?.GetValue<string>()), actualMessages.Select(m => m["message"]?.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Conversations_by_id_share_one_ids_call()
    {
        var host = await hosts.ForTestAsync();
        var ids = await host.ConversationIdsAsync(3);
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync($$"""
            query { {{string.Join(" ", ids.Select((id, i) => $$"""c{{i}}: conversation(id: "{{id}}") { id snippet messages(first: 5) { nodes { id message } } }"""))}} }
            """);

        Assert.Null(result["errors"]);
        var call = Assert.Single(host.UpstreamCalls);
        Assert.Contains("ids=", call.Query);
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(ids[i], result.At($"data.c{i}.id")!.GetValue<string>());
            Assert.NotEmpty(result.At($"data.c{i}.messages.nodes")!.AsArray());
        }
    }
}

public static class GatewayHostQueries
{
    public static async Task<IReadOnlyList<string>> ConversationIdsAsync(this GatewayHost host, int count, string platform = "MESSENGER")
    {
        var result = await host.QueryAsync($$"""
            query { page(id: "{{host.Page.PageId}}") { conversations(platform: {{platform}}, first: {{count}}) { nodes { id } } } }
            """);
        return result.At("data.page.conversations.nodes")!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList();
    }
}
