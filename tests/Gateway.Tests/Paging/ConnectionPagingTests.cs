using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Paging;

public sealed class ConnectionPagingTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    private const string ConversationsPage = """
        query($page: ID!, $first: Int, $after: String, $last: Int, $before: String) {
          page(id: $page) { conversations(platform: INSTAGRAM, first: $first, after: $after, last: $last, before: $before) {
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { metaId } } } } }
        """;

    [Fact]
    public async Task Paging_forward_then_back_visits_every_conversation_once_in_order()
    {
        var host = await hosts.ForTestAsync();
        var all = (await host.GraphApiAsync($"{host.Page.PageId}/conversations?platform=instagram&limit=200"))["data"]!.AsArray()
            .Select(c => c!["id"]!.GetValue<string>()).ToList();
        Assert.True(all.Count > 14);

        var forward = new List<string>();
        var pages = new List<JsonNode>();
        string? after = null;
        bool hasNext;
        do
        {
            var connection = (await host.QueryAsync(ConversationsPage, new { page = host.Page.PageId, first = 7, after })).At("data.page.conversations")!;
            pages.Add(connection);
            forward.AddRange(connection["edges"]!.AsArray().Select(e => e!["node"]!["metaId"]!.GetValue<string>()));
            Assert.Equal(pages.Count > 1, connection.At("pageInfo.hasPreviousPage")!.GetValue<bool>());
            hasNext = connection.At("pageInfo.hasNextPage")!.GetValue<bool>();
            after = connection.At("pageInfo.endCursor")?.GetValue<string>();
        }
        while (hasNext);
        Assert.Equal(all, forward);

        var backward = new List<string>();
        var before = pages[^1].At("pageInfo.startCursor")!.GetValue<string>();
        while (true)
        {
            var connection = (await host.QueryAsync(ConversationsPage, new { page = host.Page.PageId, last = 5, before })).At("data.page.conversations")!;
            backward.InsertRange(0, connection["edges"]!.AsArray().Select(e => e!["node"]!["metaId"]!.GetValue<string>()));
            if (!connection.At("pageInfo.hasPreviousPage")!.GetValue<bool>())
            {
                break;
            }
            before = connection.At("pageInfo.startCursor")!.GetValue<string>();
        }
        var lastPageIds = pages[^1]["edges"]!.AsArray().Select(e => e!["node"]!["metaId"]!.GetValue<string>());
        Assert.Equal(all, backward.Concat(lastPageIds));
    }

    [Fact]
    public async Task Any_edge_cursor_resumes_right_after_that_edge_in_one_call()
    {
        var host = await hosts.ForTestAsync();
        var first = (await host.QueryAsync(ConversationsPage, new { page = host.Page.PageId, first = 10 })).At("data.page.conversations.edges")!.AsArray();
        var cursor = first[3]!["cursor"]!.GetValue<string>();
        host.Emulator.ResetRequests();

        var next = (await host.QueryAsync(ConversationsPage, new { page = host.Page.PageId, first = 4, after = cursor })).At("data.page.conversations.edges")!.AsArray();

        Assert.Equal(first.Skip(4).Take(4).Select(e => e!["node"]!["metaId"]!.GetValue<string>()), next.Select(e => e!["node"]!["metaId"]!.GetValue<string>()));
        Assert.Single(host.UpstreamCalls);
    }

    [Fact]
    public async Task Message_pages_behind_a_cursor_keep_the_20_message_rule()
    {
        var host = await hosts.ForTestAsync();
        var conversationId = await Messages.MessageQueriesForTests.ConversationWithAtLeastAsync(host, 40);
        const string thread = """
            query($id: ID!, $after: String) { conversation(id: $id) { messages(first: 15, after: $after) {
              pageInfo { endCursor hasNextPage } nodes { id detailsAvailable message } } } }
            """;
        var page1 = await host.QueryAsync(thread, new { id = conversationId });
        var page2 = await host.QueryAsync(thread, new { id = conversationId, after = page1.At("data.conversation.messages.pageInfo.endCursor")!.GetValue<string>() });

        Assert.Null(page2["errors"]);
        var available = page2.At("data.conversation.messages.nodes")!.AsArray().Select(n => n!["detailsAvailable"]!.GetValue<bool>()).ToList();
        Assert.Equal(Enumerable.Range(15, 15).Select(position => position < 20), available);
    }

    [Theory]
    [InlineData("first: 51", "PAGING_SIZE_OUT_OF_RANGE")]
    [InlineData("first: -1", "PAGING_SIZE_OUT_OF_RANGE")]
    // So large that the complexity analyzer refuses it before any resolver runs.
    [InlineData("first: 1000000000", "COMPLEXITY")]
    [InlineData("first: 5, last: 5", "PAGING_INVALID_ARGUMENTS")]
    [InlineData("last: 5", "PAGING_INVALID_ARGUMENTS")]
    [InlineData("first: 5, after: \"not-a-cursor\"", "PAGING_INVALID_CURSOR")]
    public async Task Invalid_paging_arguments_are_a_coded_error_without_a_graph_call(string arguments, string code)
    {
        var host = await hosts.ForTestAsync();

        var result = await host.QueryAsync($$"""query { page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, {{arguments}}) { nodes { id } } } }""");

        var error = Assert.Single(result["errors"]!.AsArray());
        Assert.Equal(code, error.At("extensions.code")!.GetValue<string>());
        Assert.Empty(host.UpstreamCalls);
        if (code == "PAGING_SIZE_OUT_OF_RANGE")
        {
            Assert.Equal(50, error.At("extensions.max")!.GetValue<int>());
        }
    }
}
