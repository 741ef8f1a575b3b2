using System.Text.Json;
using MetaGraph.Emulator.Data;

namespace MetaGraph.Tests.Integration;

public sealed class ConversationsTests : EmulatorTest
{
    [Fact]
    public async Task Lists_one_page_of_conversations_most_recent_first()
    {
        var page = (await Client.GetConversationsAsync(Page.AccessToken, Page.PageId, new ConversationsQuery(Platform.Messenger, Limit: 10))).Value;

        Assert.Equal(10, page.Data.Count);
        Assert.All(page.Data, c => Assert.NotNull(c.UpdatedTime));
        Assert.Equal(page.Data.OrderByDescending(c => c.UpdatedTime).Select(c => c.Id), page.Data.Select(c => c.Id));
        Assert.True(page.Paging!.HasNext);
        Assert.Null(page.Paging.Previous);
    }

    [Theory]
    [InlineData(Platform.Messenger)]
    [InlineData(Platform.Instagram)]
    public async Task Pages_forward_and_back_through_every_conversation_without_duplicates_or_gaps(Platform platform)
    {
        var forward = await PagesForwardAsync(platform, limit: 7);
        var forwardIds = forward.SelectMany(p => p.Data).Select(c => c.Id).ToList();

        Assert.Equal(forwardIds.Count, forwardIds.Distinct().Count());
        Assert.Equal(SeededConversationIds(platform, InboxData.DefaultFolder), forwardIds);
        Assert.Equal(platform == Platform.Messenger ? Page.Conversations.Messenger : Page.Conversations.Instagram, forwardIds.Count);

        // Back from the last page with before cursors, each earlier page put in front.
        var last = forward[^1];
        var backwardIds = last.Data.Select(c => c.Id).ToList();
        var before = last.Paging?.Cursors?.Before;
        for (var steps = 0; before is not null && steps < 1000; steps++)
        {
            var page = (await Client.GetConversationsAsync(Page.AccessToken, Page.PageId,
                new ConversationsQuery(platform, Limit: 7, Before: before))).Value;
            backwardIds.InsertRange(0, page.Data.Select(c => c.Id));
            before = page.Paging is { Previous: not null } ? page.Paging.Cursors?.Before : null;
        }

        Assert.Equal(forwardIds, backwardIds);
    }

    [Theory]
    [InlineData(Platform.Messenger)]
    [InlineData(Platform.Instagram)]
    public async Task The_folders_together_hold_every_conversation(Platform platform)
    {
        var listed = new List<string>();
        foreach (var folder in InboxData.Folders)
        {
            var ids = (await PagesForwardAsync(platform, limit: 50, folder)).SelectMany(p => p.Data).Select(c => c.Id).ToList();
            Assert.Equal(SeededConversationIds(platform, folder), ids);
            listed.AddRange(ids);
        }

        Assert.Equal(Server.Data.Pages[0].Conversations.Count(c => c.Platform == Inbox(platform)), listed.Distinct().Count());
    }

    [Fact]
    public async Task Finds_the_conversation_with_one_person()
    {
        var fields = FieldList.Of("id", "participants");
        var conversation = (await Client.GetConversationsAsync(Page.AccessToken, Page.PageId,
            new ConversationsQuery(Platform.Messenger, Limit: 5, Fields: fields))).Value.Data[3];
        var person = conversation.Participants!.Data.First(p => p.Id != Page.PageId);

        var found = await Client.GetConversationsAsync(Page.AccessToken, Page.PageId,
            new ConversationsQuery(Platform.Messenger, UserId: person.Id));

        Assert.Equal(conversation.Id, Assert.Single(found.Value.Data).Id);
    }

    [Fact]
    public async Task Expands_conversations_with_their_newest_messages_in_one_call()
    {
        var fields = FieldList.Of("id", "updated_time", "participants")
            .AddEdge("messages", FieldList.Of("id", "created_time", "from", "to", "message"), limit: 5);
        Server.ResetRequests();

        var page = (await Client.GetConversationsAsync(Page.AccessToken, Page.PageId,
            new ConversationsQuery(Platform.Instagram, Limit: 10, Fields: fields))).Value;

        Assert.Single(Server.Requests);
        Assert.Equal(10, page.Data.Count);
        Assert.All(page.Data, conversation =>
        {
            Assert.NotEmpty(conversation.Participants!.Data);
            Assert.InRange(conversation.Messages!.Data.Count, 1, 5);
            Assert.All(conversation.Messages.Data, message => Assert.NotNull(message.From));
        });
    }

    [Fact]
    public async Task Reads_one_conversation_typed_or_untyped()
    {
        var seeded = Server.Data.Pages[0].Folder(InboxPlatform.Messenger)[0];
        var fields = FieldList.Of("id", "updated_time", "message_count", "participants");

        var typed = (await Client.GetNodeAsync<Conversation>(Page.AccessToken, seeded.Id, fields)).Value;
        var untyped = (await Client.GetNodeAsync<JsonElement>(Page.AccessToken, seeded.Id, fields)).Value;

        Assert.Equal(seeded.Id, typed.Id);
        Assert.Equal(seeded.UpdatedTime, typed.UpdatedTime);
        Assert.Equal(seeded.MessageCount, typed.MessageCount);
        Assert.Equal(seeded.Participants.Select(p => p.Id), typed.Participants!.Data.Select(p => p.Id));
        Assert.Equal(typed, GraphJson.Deserialize<Conversation>(untyped) with { Participants = typed.Participants });
    }

    [Fact]
    public async Task Paging_urls_given_back_carry_no_credentials()
    {
        var fields = FieldList.Of("id").AddEdge("messages", FieldList.Of("id"), limit: 2);
        var first = (await Client.GetConversationsAsync(Page.AccessToken, Page.PageId,
            new ConversationsQuery(Platform.Messenger, Limit: 3, Fields: fields))).Value;
        var second = (await Client.GetConversationsAsync(Page.AccessToken, Page.PageId,
            new ConversationsQuery(Platform.Messenger, Limit: 3, After: first.Paging!.Cursors!.After))).Value;

        string?[] urls = [first.Paging.Next, second.Paging!.Next, second.Paging.Previous,
            .. first.Data.Select(c => c.Messages!.Paging?.Next)];
        Assert.All(urls, url =>
        {
            Assert.NotNull(url);
            Assert.DoesNotContain("access_token", url);
            Assert.DoesNotContain(Page.AccessToken, url);
        });
    }
}
