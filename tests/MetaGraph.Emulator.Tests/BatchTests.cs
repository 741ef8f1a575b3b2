using System.Net;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>Batch <c>POST /</c>: an array in request order, each item with its own status and JSON body.</summary>
public sealed class BatchTests : EmulatorTest
{
    private static JsonNode Body(JsonNode item) => JsonNode.Parse(item["body"]!.GetValue<string>())!;

    [Fact]
    public async Task Answers_in_request_order_and_a_failing_item_fails_alone()
    {
        var conversation = LongConversation();
        var answer = await BatchAsync(BatchOf(
            $"{conversation.Messages[0].Id}?fields=id,message",
            $"{conversation.Messages[20].Id}?fields=id,message",
            $"{conversation.Id}/messages?limit=2",
            $"{conversation.Id}?fields=colour",
            $"{Version}/{conversation.Messages[1].Id}",
            $"/{conversation.Messages[2].Id}"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var items = answer.Json.AsArray();
        Assert.Equal([200, 400, 200, 400, 200, 200], items.Select(item => item!["code"]!.GetValue<int>()));
        Assert.Equal(conversation.Messages[0].Id, Body(items[0]!)["id"]!.GetValue<string>());
        Assert.Equal(9000001, Body(items[1]!)["error"]!["error_subcode"]!.GetValue<int>());
        Assert.Equal(2, Body(items[2]!)["data"]!.AsArray().Count);
        GraphAnswer.AssertGraphErrorShape(Body(items[3]!));
        Assert.Equal(conversation.Messages[1].Id, Body(items[4]!)["id"]!.GetValue<string>());
        Assert.Equal(conversation.Messages[2].Id, Body(items[5]!)["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Works_under_a_version_and_with_per_item_tokens()
    {
        var other = Server.Seed[1];
        var otherConversation = Server.Data.Pages[1].Folder(InboxPlatform.Messenger)[0];

        var answer = await BatchAsync(BatchOf(
            $"{otherConversation.Id}?access_token={other.AccessToken}",
            $"{otherConversation.Id}",
            $"{PageData.Folder(InboxPlatform.Messenger)[0].Id}"), path: $"{Version}/");

        Assert.Equal([200, 400, 200], answer.Json.AsArray().Select(item => item!["code"]!.GetValue<int>()));
        Assert.Equal(otherConversation.Id, Body(answer.Json[0]!)["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Paging_links_in_items_are_absolute_and_versioned()
    {
        var answer = await BatchAsync(BatchOf($"v23.0/{Page.PageId}/conversations?limit=2"));

        var next = new Uri(Body(answer.Json[0]!)["paging"]!["next"]!.GetValue<string>());
        Assert.Equal($"/v23.0/{Page.PageId}/conversations", next.AbsolutePath);
        Assert.Equal(Server.BaseAddress.Authority, next.Authority);
    }

    [Fact]
    public async Task At_most_50_items()
    {
        var fifty = await BatchAsync(BatchOf(Enumerable.Repeat(Page.PageId, 50).ToArray()));
        var fiftyOne = await BatchAsync(BatchOf(Enumerable.Repeat(Page.PageId, 51).ToArray()));

        Assert.Equal(50, fifty.Json.AsArray().Count);
        fiftyOne.AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Theory]
    [InlineData("[{\"method\":\"GET\"")]
    [InlineData("{\"relative_url\":\"me\"}")]
    [InlineData("[42]")]
    [InlineData("[{\"method\":\"GET\"}]")]
    [InlineData("[]")]
    [InlineData("")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public async Task Malformed_batch_json_is_a_graph_error(string batch)
    {
        var answer = await BatchAsync(batch);

        answer.AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Fact]
    public async Task A_batch_without_a_form_is_a_graph_error()
    {
        var answer = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "") { Content = new StringContent("{\"batch\":[]}") });

        answer.AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Fact]
    public async Task Items_that_are_not_reads_fail_alone()
    {
        var batch = $$"""[{"method":"POST","relative_url":"{{Page.PageId}}/messages"},{"method":"GET","relative_url":"{{Page.PageId}}"}]""";

        var answer = await BatchAsync(batch);

        Assert.Equal([400, 200], answer.Json.AsArray().Select(item => item!["code"]!.GetValue<int>()));
    }
}
