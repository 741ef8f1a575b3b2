using System.Net;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

public sealed class PagingTests : EmulatorTest
{
    private static List<string> Ids(JsonNode page) => page["data"]!.AsArray().Select(item => item!["id"]!.GetValue<string>()).ToList();

    private static string? Cursor(JsonNode page, string name) => page["paging"]?["cursors"]?[name]?.GetValue<string>();

    [Theory]
    [InlineData("messenger", InboxPlatform.Messenger)]
    [InlineData("instagram", InboxPlatform.Instagram)]
    public async Task Pages_forward_and_back_through_every_conversation_without_duplicates_or_gaps(string platform, InboxPlatform expected)
    {
        var inbox = PageData.Folder(expected).Select(c => c.Id).ToList();
        var pages = new List<JsonNode>();
        var page = (await GetAsync($"{Page.PageId}/conversations?platform={platform}&limit=7")).Json;
        pages.Add(page);
        while (page["paging"]?["next"] is not null)
        {
            page = (await GetAsync($"{Page.PageId}/conversations?platform={platform}&limit=7&after={Cursor(page, "after")}")).Json;
            pages.Add(page);
        }
        var forward = pages.SelectMany(Ids).ToList();

        var backward = Ids(pages[^1]);
        page = pages[^1];
        while (page["paging"]?["previous"] is not null)
        {
            page = (await GetAsync($"{Page.PageId}/conversations?platform={platform}&limit=7&before={Cursor(page, "before")}")).Json;
            backward.InsertRange(0, Ids(page));
        }

        Assert.Equal(inbox, forward);
        Assert.Equal(forward, backward);
        Assert.Null(pages[0]["paging"]!["previous"]);
        Assert.Null(pages[^1]["paging"]!["next"]);
    }

    [Fact]
    public async Task Conversations_are_ordered_by_updated_time_most_recent_first()
    {
        var items = await FollowNextAsync($"{Page.PageId}/conversations?platform=messenger&limit=10");

        var times = items.Select(item => DateTimeOffset.Parse(item["updated_time"]!.GetValue<string>())).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task Following_next_and_previous_links_walks_the_same_pages()
    {
        var first = (await GetAsync($"{Page.PageId}/conversations?platform=messenger&limit=4")).Json;
        var second = (await GetUrlAsync(first["paging"]!["next"]!.GetValue<string>())).Json;
        var backToFirst = (await GetUrlAsync(second["paging"]!["previous"]!.GetValue<string>())).Json;

        Assert.Equal(Ids(first), Ids(backToFirst));
        Assert.Equal(PageData.Folder(InboxPlatform.Messenger).Skip(4).Take(4).Select(c => c.Id), Ids(second));
    }

    [Fact]
    public async Task Cursors_are_symmetric_item_cursors()
    {
        var all = PageData.Folder(InboxPlatform.Messenger).Select(c => c.Id).ToList();
        var first = (await GetAsync($"{Page.PageId}/conversations?limit=5")).Json;
        var page = (await GetAsync($"{Page.PageId}/conversations?limit=5&after={Cursor(first, "after")}")).Json;

        // page's before cursor names item 5: "after" it starts at item 6; "before" it with limit 3 gives items 2..4.
        var itemFive = Cursor(page, "before")!;
        var after = (await GetAsync($"{Page.PageId}/conversations?limit=2&after={itemFive}")).Json;
        var before = (await GetAsync($"{Page.PageId}/conversations?limit=3&before={itemFive}")).Json;

        Assert.Equal(all[5..10], Ids(page));
        Assert.Equal(all[6..8], Ids(after));
        Assert.Equal(all[2..5], Ids(before));
        // One item has one cursor, whichever page it was read on.
        Assert.Equal(Cursor(first, "after"), Cursor(before, "after"));
        Assert.NotEqual(Cursor(first, "before"), Cursor(first, "after"));
    }

    [Fact]
    public async Task Messages_page_newest_first_through_every_message()
    {
        var conversation = LongConversation();

        var items = await FollowNextAsync($"{conversation.Id}/messages?limit=25");

        Assert.Equal(conversation.Messages.Select(m => m.Id), items.Select(m => m!["id"]!.GetValue<string>()));
        Assert.All(items, m => Assert.Equal(["id", "created_time"], m.AsObject().Select(p => p.Key)));
    }

    [Fact]
    public async Task A_nested_edge_pages_with_after_and_before_modifiers()
    {
        var conversation = LongConversation();
        var first = (await GetAsync($"{conversation.Id}?fields=messages.limit(5){{id}}")).Json["messages"]!;

        var next = (await GetAsync($"{conversation.Id}?fields=messages.limit(5).after({Cursor(first, "after")}){{id}}")).Json["messages"]!;
        var back = (await GetAsync($"{conversation.Id}?fields=messages.limit(5).before({Cursor(next, "before")}){{id}}")).Json["messages"]!;

        Assert.Equal(conversation.Messages.Skip(5).Take(5).Select(m => m.Id), Ids(next));
        Assert.Equal(Ids(first), Ids(back));
    }

    [Fact]
    public async Task The_limit_defaults_to_25_and_is_clamped()
    {
        var conversation = PageData.Conversations.First(c => c.MessageCount == Options.MaxMessagesPerConversation);

        var byDefault = (await GetAsync($"{conversation.Id}/messages")).Json;
        var huge = (await GetAsync($"{conversation.Id}/messages?limit=99999999999999")).Json;
        var zero = (await GetAsync($"{conversation.Id}/messages?limit=0")).Json;

        Assert.Equal(25, byDefault["data"]!.AsArray().Count);
        Assert.Equal(conversation.MessageCount, huge["data"]!.AsArray().Count);
        Assert.Empty(zero["data"]!.AsArray());
    }

    [Fact]
    public async Task Folders_user_id_and_the_instagram_account_node_select_their_lists()
    {
        var spam = PageData.Folder(InboxPlatform.Messenger, "spam");
        var person = PageData.Folder(InboxPlatform.Instagram, "requests")[0];

        var spamIds = Ids((await GetAsync($"{Page.PageId}/conversations?platform=messenger&folder=spam")).Json);
        var byUser = (await GetAsync($"{Page.PageId}/conversations?platform=instagram&user_id={person.Customer.Id}")).Json;
        var igNode = Ids((await GetAsync($"{Page.InstagramAccountId}/conversations?limit=100")).Json);

        Assert.NotEmpty(spam);
        Assert.Equal(spam.Select(c => c.Id), spamIds);
        Assert.Equal([person.Id], Ids(byUser));
        Assert.Equal(["id"], byUser["data"]![0]!.AsObject().Select(p => p.Key));
        Assert.Equal(PageData.Folder(InboxPlatform.Instagram).Select(c => c.Id), igNode);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("QVFIZm9vYmFy")]
    [InlineData("%00%01")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Garbage_cursors_are_graph_errors(string cursor)
    {
        var after = await GetAsync($"{Page.PageId}/conversations?after={cursor}");
        var before = await GetAsync($"{LongConversation().Id}/messages?before={cursor}");
        var nested = await GetAsync($"{LongConversation().Id}?fields=messages.after({cursor})");

        after.AssertError(HttpStatusCode.BadRequest, 100);
        before.AssertError(HttpStatusCode.BadRequest, 100);
        nested.AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Fact]
    public async Task A_cursor_of_another_list_is_refused()
    {
        var messenger = (await GetAsync($"{Page.PageId}/conversations?platform=messenger&limit=2")).Json;
        var messages = (await GetAsync($"{LongConversation().Id}/messages?limit=2")).Json;

        var onInstagram = await GetAsync($"{Page.PageId}/conversations?platform=instagram&after={Cursor(messenger, "after")}");
        var onSpam = await GetAsync($"{Page.PageId}/conversations?platform=messenger&folder=spam&after={Cursor(messenger, "after")}");
        var onOtherConversation = await GetAsync($"{PageData.Folder(InboxPlatform.Messenger)[1].Id}/messages?after={Cursor(messages, "after")}");

        onInstagram.AssertError(HttpStatusCode.BadRequest, 100);
        onSpam.AssertError(HttpStatusCode.BadRequest, 100);
        onOtherConversation.AssertError(HttpStatusCode.BadRequest, 100);
    }
}
