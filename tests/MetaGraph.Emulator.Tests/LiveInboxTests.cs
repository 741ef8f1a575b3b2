using System.Net;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>The living inbox: what <c>POST /_emulator/messages|reads|reactions|unsends</c> change in Graph reads.</summary>
public sealed class LiveInboxTests : EmulatorTest
{
    private const string ListingFields = "id,updated_time,snippet,message_count,unread_count";

    [Fact]
    public async Task A_persons_message_becomes_the_newest_and_moves_the_conversation_to_the_top()
    {
        var conversation = PageData.Folder(InboxPlatform.Messenger).Skip(3).First(c => c.MessageCount > 20);

        var written = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", conversationId = conversation.Id, text = "Still open? 👋" });
        var top = (await GetAsync($"{Page.PageId}/conversations?limit=1&fields={ListingFields}")).Json["data"]![0]!;
        var newest = (await GetAsync($"{conversation.Id}/messages?limit=1&fields=id,created_time,from,message")).Json["data"]![0]!;

        Assert.Equal(["conversationId", "userId", "messageId", "createdTime", "timestamp"], written.AsObject().Select(p => p.Key));
        Assert.Equal(conversation.Id, written["conversationId"]!.GetValue<string>());
        Assert.Equal(conversation.Customer.Id, written["userId"]!.GetValue<string>());
        Assert.Equal(conversation.Id, top["id"]!.GetValue<string>());
        Assert.Equal("Still open? 👋", top["snippet"]!.GetValue<string>());
        Assert.Equal(written["createdTime"]!.GetValue<string>(), top["updated_time"]!.GetValue<string>());
        Assert.Equal(conversation.MessageCount + 1, top["message_count"]!.GetValue<int>());
        Assert.Equal(conversation.UnreadCount + 1, top["unread_count"]!.GetValue<int>());
        Assert.Equal(written["messageId"]!.GetValue<string>(), newest["id"]!.GetValue<string>());
        Assert.Equal(written["createdTime"]!.GetValue<string>(), newest["created_time"]!.GetValue<string>());
        Assert.Equal(conversation.Customer.Id, newest["from"]!["id"]!.GetValue<string>());
        Assert.Equal("Still open? 👋", newest["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_20_message_rule_shifts_with_a_new_message()
    {
        var conversation = LongConversation();
        var twentieth = conversation.Messages[InboxData.MessagesWithDetails - 1];
        var before = await GetAsync($"{twentieth.Id}?fields=message");

        var written = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", conversationId = conversation.Id, text = "one more" });
        var after = await GetAsync($"{twentieth.Id}?fields=message");
        var listing = await FollowNextAsync($"{conversation.Id}/messages?limit=25&fields=id,message");

        Assert.Equal(HttpStatusCode.OK, before.Status);
        after.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Equal(9000001, after.ErrorSubcode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"{written["messageId"]}?fields=message")).Status);
        Assert.Equal([written["messageId"]!.GetValue<string>(), .. conversation.Messages.Select(m => m.Id)], listing.Select(m => m["id"]!.GetValue<string>()));
        Assert.Equal(InboxData.MessagesWithDetails, listing.Count(m => m["message"] is not null));
    }

    [Fact]
    public async Task A_new_person_starts_a_new_conversation_found_by_user_id()
    {
        const string person = "17841499999999901";
        var inbox = PageData.Folder(InboxPlatform.Instagram).Count;

        var first = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "instagram", userId = person, text = "hi!" });
        var second = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "instagram", userId = person, text = "anyone?" });
        var found = await GetAsync($"{Page.PageId}/conversations?platform=instagram&user_id={person}&fields=id,participants,message_count");
        var listing = await FollowNextAsync($"{Page.InstagramAccountId}/conversations?limit=50");

        var conversationId = first["conversationId"]!.GetValue<string>();
        Assert.StartsWith("aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6", conversationId);
        Assert.Equal(conversationId, second["conversationId"]!.GetValue<string>());
        var conversation = Assert.Single(found.Json["data"]!.AsArray())!;
        Assert.Equal(conversationId, conversation["id"]!.GetValue<string>());
        Assert.Equal(2, conversation["message_count"]!.GetValue<int>());
        Assert.Equal([person, Page.InstagramAccountId], conversation["participants"]!["data"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        Assert.Equal(inbox + 1, listing.Count);
        Assert.Equal(conversationId, listing[0]["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_person_a_new_one_writes_with_an_id_of_the_platforms_shape()
    {
        var written = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", text = "Hello" });

        Assert.Matches("^[1-9][0-9]{15}$", written["userId"]!.GetValue<string>());
        Assert.Matches("^t_[0-9]{15}$", written["conversationId"]!.GetValue<string>());
        Assert.Matches("^m_[A-Za-z0-9_-]{86}$", written["messageId"]!.GetValue<string>());
        var participants = (await GetAsync($"{written["conversationId"]}?fields=participants")).Json["participants"]!["data"]!.AsArray();
        Assert.Equal("Emulator Person 1", participants[0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_echo_is_the_pages_reply_and_reads_the_conversation()
    {
        var conversation = PageData.Folder(InboxPlatform.Messenger).First(c => c.UnreadCount > 0);

        var echo = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", userId = conversation.Customer.Id,
            fromPage = true, text = "On its way!", attachments = new[] { new { type = "image", url = "https://cdn.example.invalid/photo.jpg" } } });
        var read = (await GetAsync($"{conversation.Id}?fields=unread_count,snippet,messages.limit(1){{from,to,message,attachments,tags}}")).Json;

        Assert.Equal(0, read["unread_count"]!.GetValue<int>());
        Assert.Equal("On its way!", read["snippet"]!.GetValue<string>());
        var newest = read["messages"]!["data"]![0]!;
        Assert.Equal(Page.PageId, newest["from"]!["id"]!.GetValue<string>());
        Assert.Equal(conversation.Customer.Id, newest["to"]!["data"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("https://cdn.example.invalid/photo.jpg", newest["attachments"]!["data"]![0]!["image_data"]!["url"]!.GetValue<string>());
        Assert.Equal(["sent", "source:web"], newest["tags"]!["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(echo["messageId"]!.GetValue<string>(), newest["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_page_read_clears_the_unread_count_and_a_persons_read_changes_nothing()
    {
        var conversation = PageData.Folder(InboxPlatform.Messenger).First(c => c.UnreadCount > 0);

        await ChangeAsync("reads", new { pageId = Page.PageId, platform = "messenger", conversationId = conversation.Id });
        var afterPersonRead = (await GetAsync($"{conversation.Id}?fields=unread_count")).Json["unread_count"]!.GetValue<int>();
        await ChangeAsync("reads", new { pageId = Page.PageId, platform = "messenger", userId = conversation.Customer.Id, by = "page" });
        var afterPageRead = (await GetAsync($"{conversation.Id}?fields=unread_count,messages.limit(1){{tags}}")).Json;

        Assert.Equal(conversation.UnreadCount, afterPersonRead);
        Assert.Equal(0, afterPageRead["unread_count"]!.GetValue<int>());
        Assert.Contains("read", afterPageRead["messages"]!["data"]![0]!["tags"]!["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_unsent_instagram_message_disappears_and_reads_as_deleted()
    {
        var written = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "instagram", text = "oops" });
        var conversationId = written["conversationId"]!.GetValue<string>();
        await ChangeAsync("messages", new { pageId = Page.PageId, platform = "instagram", conversationId, text = "hello" });

        await ChangeAsync("unsends", new { pageId = Page.PageId, messageId = written["messageId"]!.GetValue<string>() });
        var messages = (await GetAsync($"{conversationId}/messages?fields=message")).Json["data"]!.AsArray();
        var unsent = await GetAsync($"{written["messageId"]}?fields=message");

        Assert.Equal(["hello"], messages.Select(m => m!["message"]!.GetValue<string>()));
        var error = unsent.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Equal(9000001, unsent.ErrorSubcode);
        Assert.Equal("This Message has been deleted by the user or the business.", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_reaction_shows_in_graph_reads_and_unreact_removes_it()
    {
        var conversation = LongConversation();
        var message = conversation.Messages[1];

        await ChangeAsync("reactions", new { pageId = Page.PageId, messageId = message.Id, reaction = "love" });
        var reacted = (await GetAsync($"{message.Id}?fields=reactions")).Json;
        var listed = (await GetAsync($"{conversation.Id}/messages?limit=2&fields=reactions{{reaction,users{{id,name}}}}")).Json["data"]![1]!;
        await ChangeAsync("reactions", new { pageId = Page.PageId, messageId = message.Id, action = "unreact" });
        var unreacted = (await GetAsync($"{message.Id}?fields=id,reactions")).Json;

        var reaction = Assert.Single(reacted["reactions"]!["data"]!.AsArray())!;
        Assert.Equal("love", reaction["reaction"]!.GetValue<string>());
        Assert.Equal([conversation.Customer.Id], reaction["users"]!.AsArray().Select(u => u!["id"]!.GetValue<string>()));
        Assert.Equal(conversation.Customer.Name, listed["reactions"]!["data"]![0]!["users"]![0]!["name"]!.GetValue<string>());
        // A message nobody reacts to has no reactions field at all, as on Meta.
        Assert.Equal(["id"], unreacted.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task A_persons_new_reaction_replaces_theirs_and_keeps_the_pages()
    {
        var message = PageData.Folder(InboxPlatform.Instagram).SelectMany(c => c.Messages).First(m => m.HasDetails && m.Reactions.Count == 2);
        var person = message.Reactions[1].Users.Single();

        await ChangeAsync("reactions", new { pageId = Page.PageId, messageId = message.Id, reaction = "other", emoji = "🔥" });
        var reactions = (await GetAsync($"{message.Id}?fields=reactions")).Json["reactions"]!["data"]!.AsArray();

        Assert.Equal(["love", "🔥"], reactions.Select(r => r!["reaction"]!.GetValue<string>()));
        Assert.Equal([message.Reactions[0].Users.Single(u => u.Id != person.Id).Id],
            reactions[0]!["users"]!.AsArray().Select(u => u!["id"]!.GetValue<string>()));
        Assert.Equal([person.Id], reactions[1]!["users"]!.AsArray().Select(u => u!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Reads_during_writes_each_see_one_moment()
    {
        var conversation = LongConversation();
        await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", conversationId = conversation.Id, text = "n1" });
        var writing = Task.Run(async () =>
        {
            for (var i = 2; i <= 40; i++)
            {
                await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", conversationId = conversation.Id, text = $"n{i}" });
            }
        });

        var counts = new List<int>();
        while (!writing.IsCompleted)
        {
            var read = (await GetAsync($"{conversation.Id}?fields=message_count,snippet,messages.limit(100){{message}}")).Json;
            var messages = read["messages"]!["data"]!.AsArray();
            counts.Add(read["message_count"]!.GetValue<int>());
            // The count, the snippet and the listing always agree with each other.
            Assert.Equal(Math.Min(counts[^1], 100), messages.Count);
            Assert.Equal(read["snippet"]?.GetValue<string>() ?? "", messages[0]!["message"]?.GetValue<string>() ?? "");
        }
        await writing;

        Assert.Equal(counts.Order(), counts);
        Assert.Equal(conversation.MessageCount + 40, (await GetAsync($"{conversation.Id}?fields=message_count")).Json["message_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_array_is_applied_in_order_all_or_none()
    {
        var conversation = LongConversation();

        var refused = await PostJsonAsync("_emulator/messages", new object[]
        {
            new { pageId = Page.PageId, platform = "messenger", conversationId = conversation.Id, text = "first" },
            new { pageId = Page.PageId, platform = "messenger", conversationId = conversation.Id },
        });
        var unchanged = (await GetAsync($"{conversation.Id}?fields=message_count")).Json["message_count"]!.GetValue<int>();
        var written = (await PostJsonAsync("_emulator/messages", new object[]
        {
            new { pageId = Page.PageId, platform = "messenger", conversationId = conversation.Id, text = "first" },
            new { pageId = Page.PageId, platform = "messenger", conversationId = conversation.Id, text = "second" },
        })).Json.AsArray();
        var newest = (await GetAsync($"{conversation.Id}/messages?limit=2&fields=message")).Json["data"]!.AsArray();

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(conversation.MessageCount, unchanged);
        Assert.Equal(2, written.Count);
        Assert.Equal(["second", "first"], newest.Select(m => m!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_same_seed_and_the_same_changes_give_the_same_ids()
    {
        await using var other = await EmulatorServer.StartAsync(Options);
        using var otherHttp = new HttpClient { BaseAddress = other.BaseAddress };
        object[] changes =
        [
            new { pageId = Page.PageId, platform = "messenger", text = "a" },
            new { pageId = Page.PageId, platform = "instagram", text = "b", attachments = new[] { new { type = "video" } } },
            new { pageId = Page.PageId, platform = "messenger", conversationId = LongConversation().Id, text = "c" },
        ];

        var here = (await PostJsonAsync("_emulator/messages", changes)).Json.AsArray();
        var there = JsonNode.Parse(await (await otherHttp.PostAsync("_emulator/messages", System.Net.Http.Json.JsonContent.Create(changes))).Content.ReadAsStringAsync())!.AsArray();

        string Ids(JsonArray answers) => string.Join(",", answers.Select(a => $"{a!["conversationId"]}/{a["userId"]}/{a["messageId"]}"));
        Assert.Equal(Ids(here), Ids(there));
        Assert.Equal(3, here.Select(a => a!["messageId"]!.GetValue<string>()).Distinct().Count());
    }

    [Theory]
    [InlineData("messages", """{"pageId":"999","platform":"messenger","text":"x"}""", 404, "no Page 999")]
    [InlineData("messages", """{"platform":"messenger","text":"x"}""", 400, "pageId is required")]
    [InlineData("messages", """{"pageId":"PAGE","platform":"whatsapp","text":"x"}""", 400, "platform is")]
    [InlineData("messages", """{"pageId":"PAGE","platform":"messenger"}""", 400, "needs text or attachments")]
    [InlineData("messages", """{"pageId":"PAGE","platform":"messenger","userId":"abc","text":"x"}""", 400, "digits only")]
    [InlineData("messages", """{"pageId":"PAGE","platform":"messenger","conversationId":"t_1","text":"x"}""", 404, "no messenger conversation t_1")]
    [InlineData("messages", """{"pageId":"PAGE","platform":"messenger","userId":"123","fromPage":true,"text":"x"}""", 404, "existing conversation")]
    [InlineData("messages", """{"pageId":"PAGE","platform":"messenger","text":"x","attachments":[{"type":"hologram"}]}""", 400, "attachment's type")]
    [InlineData("messages", """{"pageId":"PAGE","platform":"messenger","text":"x","replyTo":"m_nope"}""", 404, "replyTo")]
    [InlineData("messages", "not json", 400, "Send a JSON object")]
    [InlineData("messages", "[]", 400, "non-empty array")]
    [InlineData("reads", """{"pageId":"PAGE","platform":"messenger"}""", 400, "userId or conversationId")]
    [InlineData("reads", """{"pageId":"PAGE","platform":"messenger","userId":"123","by":"page"}""", 404, "no messenger conversation with person 123")]
    [InlineData("reactions", """{"pageId":"PAGE","messageId":"m_nope"}""", 404, "no message m_nope")]
    [InlineData("unsends", """{"pageId":"PAGE"}""", 400, "messageId is required")]
    public async Task Bad_input_is_refused_with_a_clear_message(string kind, string body, int status, string message)
    {
        var response = await Http.PostAsync($"_emulator/{kind}",
            new StringContent(body.Replace("PAGE", Page.PageId), System.Text.Encoding.UTF8, "application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(message, error["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("EmulatorInputException", error["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_an_instagram_persons_own_message_can_be_unsent()
    {
        var conversation = LongConversation();
        var messengerMessage = conversation.Messages.First(m => m.From.Id == conversation.Customer.Id).Id;

        var answer = await PostJsonAsync("_emulator/unsends", new { pageId = Page.PageId, messageId = messengerMessage });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("Instagram", answer.Json["error"]!["message"]!.GetValue<string>());
    }
}
