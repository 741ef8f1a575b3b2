using System.Text.Json;

namespace MetaGraph.Tests.Integration;

public sealed class MultiIdAndBatchTests : EmulatorTest
{
    private static readonly FieldList Fields = FieldList.Of("id", "created_time", "message");

    [Theory]
    [InlineData(1, 1)]
    [InlineData(50, 1)]
    [InlineData(120, 3)]
    public async Task Reads_many_ids_in_calls_of_at_most_50(int count, int expectedCalls)
    {
        var ids = await MessageIdsWithDetailsAsync(count);
        Server.ResetRequests();

        var messages = (await Client.GetByIdsAsync<Message>(Page.AccessToken, ids, Fields)).Value;

        Assert.Equal(ids.Order(), messages.Keys.Order());
        Assert.All(ids, id => Assert.Equal(id, messages[id].Id));
        Assert.Equal(expectedCalls, Server.Requests.Count);
    }

    [Fact]
    public async Task Sends_a_repeated_id_once()
    {
        var ids = await MessageIdsWithDetailsAsync(50);
        Server.ResetRequests();

        var messages = (await Client.GetByIdsAsync<Message>(Page.AccessToken, [.. ids, .. ids.Take(10)], Fields)).Value;

        Assert.Equal(50, messages.Count);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task Reads_ids_untyped_with_nested_edges()
    {
        var conversations = (await Client.GetConversationsAsync(Page.AccessToken, Page.PageId,
            new ConversationsQuery(Platform.Messenger, Limit: 3))).Value.Data.Select(c => c.Id).ToList();
        var fields = FieldList.Of("id").AddEdge("messages", FieldList.Of("id", "created_time"), limit: 2);

        var nodes = (await Client.GetByIdsAsync<JsonElement>(Page.AccessToken, conversations, fields)).Value;

        Assert.All(conversations, id =>
        {
            var conversation = GraphJson.Deserialize<Conversation>(nodes[id]);
            Assert.Equal(2, conversation.Messages!.Data.Count);
            Assert.DoesNotContain("access_token", nodes[id].GetRawText());
        });
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(50, 1)]
    [InlineData(120, 3)]
    public async Task Batches_in_calls_of_at_most_50_items_and_answers_in_request_order(int count, int expectedCalls)
    {
        var ids = await MessageIdsWithDetailsAsync(count);
        Server.ResetRequests();

        var results = (await Client.BatchAsync(Page.AccessToken, ids.Select(id => new BatchRequest(RelativeUrl.Node(id, Fields))).ToList())).Value;

        Assert.Equal(ids, results.Select(r => GraphJson.Deserialize<Message>(r.Body!.Value).Id));
        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(expectedCalls, Server.Requests.Count);
        Assert.All(Server.Requests, request => Assert.InRange(request.Batch!.Count, 1, MetaGraphClient.MaxBatchItemsPerCall));
    }

    [Fact]
    public async Task A_failing_batch_item_fails_alone()
    {
        var ids = await MessageIdsWithDetailsAsync(2);
        BatchRequest[] requests =
        [
            new(RelativeUrl.Node(ids[0], Fields)),
            new(RelativeUrl.Node(ids[1], FieldList.Of("id", "nonexisting"))),
            new(RelativeUrl.Edge(ids[0], "nonexisting_edge", new PageQuery())),
            new(RelativeUrl.Node(ids[1], Fields)),
        ];

        var results = (await Client.BatchAsync(Page.AccessToken, requests)).Value;

        Assert.True(results[0].IsSuccess);
        Assert.Equal(100, results[1].Error!.Code);
        Assert.Contains("nonexisting", results[1].Error!.Message);
        Assert.False(results[2].IsSuccess);
        Assert.True(results[3].IsSuccess);
    }

    [Fact]
    public async Task Batched_message_pages_read_like_direct_ones()
    {
        var conversation = (await Client.GetConversationsAsync(Page.AccessToken, Page.PageId,
            new ConversationsQuery(Platform.Instagram, Limit: 1))).Value.Data[0].Id;
        var query = new PageQuery(Limit: 3, Fields: FieldList.Of("id", "created_time"));

        var direct = (await Client.GetMessagesAsync(Page.AccessToken, conversation, query)).Value;
        var batched = GraphJson.Deserialize<GraphList<Message>>(
            (await Client.BatchAsync(Page.AccessToken, [new BatchRequest(RelativeUrl.Edge(conversation, "messages", query))])).Value[0].Body!.Value);

        Assert.Equal(direct.Data.Select(m => m.Id), batched.Data.Select(m => m.Id));
        Assert.Equal(direct.Paging!.Cursors, batched.Paging!.Cursors);
        Assert.DoesNotContain("access_token", batched.Paging.Next);
    }
}
