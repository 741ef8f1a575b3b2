using System.Net;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>Webhook events in the shapes of Meta's webhook references, delivered to a real receiver, and what the same messages
/// read like in Graph: postbacks, stickers, Instagram story mentions and replies, unsupported messages, replies, echoes of
/// sends, and no webhook for the Page's own reaction.</summary>
public sealed class WebhookShapeTests : EmulatorTest
{
    [Theory]
    [InlineData("messenger", "page")]
    [InlineData("instagram", "instagram")]
    public async Task A_postback_carries_mid_title_and_payload_and_joins_the_thread_as_the_persons_message(string platform, string objectName)
    {
        await using var receiver = await ReceiveWebhooksAsync();
        var person = (await PersonWritesAsync(platform))["userId"]!.GetValue<string>();
        await receiver.NextPostAsync();

        var tapped = await ChangeAsync("postbacks", new { pageId = Page.PageId, platform, userId = person, title = "Track my order", payload = "TRACK_ORDER_4521" });
        var post = await receiver.NextPostAsync();
        var newest = (await GetAsync($"{tapped["conversationId"]}?fields=unread_count,messages.limit(1){{id,from,message}}")).Json;

        Assert.Equal(objectName, post.Json["object"]!.GetValue<string>());
        var owner = platform == "messenger" ? Page.PageId : Page.InstagramAccountId;
        var timestamp = tapped["timestamp"]!.GetValue<long>();
        Assert.True(JsonNode.DeepEquals(new JsonObject
        {
            ["sender"] = new JsonObject { ["id"] = person },
            ["recipient"] = new JsonObject { ["id"] = owner },
            ["timestamp"] = timestamp,
            ["postback"] = new JsonObject { ["mid"] = tapped["messageId"]!.GetValue<string>(), ["title"] = "Track my order", ["payload"] = "TRACK_ORDER_4521" },
        }, post.Events[0]), post.Text);
        Assert.Equal(tapped["messageId"]!.GetValue<string>(), newest["messages"]!["data"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("Track my order", newest["messages"]!["data"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(person, newest["messages"]!["data"]![0]!["from"]!["id"]!.GetValue<string>());
        Assert.Equal(2, newest["unread_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_sticker_is_a_sticker_attachment_with_its_sticker_id_and_reads_as_the_messages_sticker()
    {
        await using var receiver = await ReceiveWebhooksAsync();

        var written = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", attachments = new[] { new { type = "sticker" } } });
        var message = (await receiver.NextPostAsync()).Events[0]["message"]!;
        var read = (await GetAsync($"{written["messageId"]}?fields=message,sticker,attachments")).Json;
        var snippet = (await GetAsync($"{written["conversationId"]}?fields=snippet")).Json["snippet"]!.GetValue<string>();

        const string url = "https://scontent.emulator.invalid/v/t39.1997-6/369239263222822_n.png";
        AssertJson($$$"""{"mid":"{{{written["messageId"]}}}","attachments":[{"type":"sticker","payload":{"url":"{{{url}}}","sticker_id":369239263222822}}]}""",
            message);
        Assert.Equal($$"""{"message":"","sticker":"{{url}}","id":"{{written["messageId"]}}"}""", read.ToJsonString());
        Assert.EndsWith("sent a sticker.", snippet);
    }

    [Fact]
    public async Task An_instagram_story_mention_is_a_story_mention_attachment_and_reads_as_the_messages_story()
    {
        await using var receiver = await ReceiveWebhooksAsync();

        var written = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "instagram", story = "mention" });
        var message = (await receiver.NextPostAsync()).Events[0]["message"]!;
        var story = (await GetAsync($"{written["messageId"]}?fields=story")).Json["story"]!["mention"]!;

        AssertJson($$$"""{"mid":"{{{written["messageId"]}}}","attachments":[{"type":"story_mention","payload":{"url":"{{{story["link"]}}}"}}]}""",
            message);
        Assert.Matches("^[0-9]{17}$", story["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_instagram_story_reply_carries_reply_to_story_with_its_url_and_id()
    {
        await using var receiver = await ReceiveWebhooksAsync();

        var written = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "instagram", story = "reply", text = "Love this look!" });
        var message = (await receiver.NextPostAsync()).Events[0]["message"]!;
        var story = (await GetAsync($"{written["messageId"]}?fields=story")).Json["story"]!["reply_to"]!;

        AssertJson($$$$"""{"mid":"{{{{written["messageId"]}}}}","text":"Love this look!","reply_to":{"story":{"url":"{{{{story["link"]}}}}","id":"{{{{story["id"]}}}}"}}}""",
            message);
    }

    [Fact]
    public async Task A_message_the_api_cannot_show_is_delivered_as_is_unsupported()
    {
        await using var receiver = await ReceiveWebhooksAsync();

        var written = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "instagram", unsupported = true });
        var message = (await receiver.NextPostAsync()).Events[0]["message"]!;
        var read = (await GetAsync($"{written["messageId"]}?fields=message,is_unsupported")).Json;

        Assert.Equal($$"""{"mid":"{{written["messageId"]}}","is_unsupported":true}""", message.ToJsonString());
        Assert.True(read["is_unsupported"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_reply_says_whether_it_answers_the_senders_own_message()
    {
        await using var receiver = await ReceiveWebhooksAsync();
        var first = await PersonWritesAsync();
        await receiver.NextPostAsync();

        await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", userId = first["userId"]!.GetValue<string>(), text = "also…",
            replyTo = first["messageId"]!.GetValue<string>() });
        var reply = (await receiver.NextPostAsync()).Events[0]["message"]!["reply_to"]!;

        Assert.Equal($$"""{"mid":"{{first["messageId"]}}","is_self_reply":true}""", reply.ToJsonString());
    }

    [Fact]
    public async Task The_echo_of_a_send_carries_the_app_and_its_metadata_and_the_pages_reaction_sends_nothing()
    {
        await using var receiver = await ReceiveWebhooksAsync();
        var written = await PersonWritesAsync();
        await receiver.NextPostAsync();
        var person = written["userId"]!.GetValue<string>();

        var sent = await SendMessageAsync(new { recipient = new { id = person }, messaging_type = "RESPONSE", message = new { text = "Shipped!", metadata = "order:4521" } });
        var echo = (await receiver.NextPostAsync()).Events[0];
        await SendMessageAsync(new { recipient = new { id = person }, sender_action = "react", payload = new { message_id = written["messageId"]!.GetValue<string>(), reaction = "like" } });
        var later = await PersonWritesAsync(userId: person, text: "Thanks");
        var next = await receiver.NextPostAsync();

        Assert.Equal(Page.PageId, echo["sender"]!["id"]!.GetValue<string>());
        Assert.Equal(person, echo["recipient"]!["id"]!.GetValue<string>());
        Assert.Equal($$"""{"mid":"{{sent.Json["message_id"]}}","text":"Shipped!","is_echo":true,"app_id":{{new EmulatorOptions().AppId}},"metadata":"order:4521"}""",
            echo["message"]!.ToJsonString());
        // Webhooks go out in order, so the person's next message arriving first proves the reaction sent none.
        Assert.Equal([later["messageId"]!.GetValue<string>()], next.Mids);
    }

    private static void AssertJson(string expected, JsonNode actual)
        => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {expected}, got {actual.ToJsonString()}");

    [Fact]
    public async Task A_persons_read_still_sends_its_read_event_after_the_page_marked_the_thread_seen()
    {
        await using var receiver = await ReceiveWebhooksAsync();
        var written = await PersonWritesAsync();
        await receiver.NextPostAsync();

        await SendMessageAsync(new { recipient = new { id = written["userId"]!.GetValue<string>() }, sender_action = "mark_seen" });
        await ChangeAsync("reads", new { pageId = Page.PageId, platform = "messenger", userId = written["userId"]!.GetValue<string>() });
        var read = (await receiver.NextPostAsync()).Events[0];

        Assert.Equal(written["timestamp"]!.GetValue<long>(), read["read"]!["watermark"]!.GetValue<long>());
    }
}

/// <summary>What Graph reads show of the Page's and the person's sides of a thread, and of recorded videos and animated images.</summary>
public sealed class MessageSideTests : EmulatorTest
{
    [Fact]
    public async Task Sent_and_source_tags_are_on_the_pages_messages_and_inbox_and_read_on_the_persons()
    {
        var written = await PersonWritesAsync();
        var person = written["userId"]!.GetValue<string>();
        await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", userId = person, fromPage = true, text = "From the inbox" });
        await SendTextAsync(person, "From the API");
        await PersonWritesAsync(userId: person, text: "unread one");

        var seeded = PageData.Folder(InboxPlatform.Messenger).SelectMany(c => c.Messages.Select(m => (m, c.Customer.Id))).ToList();
        var live = (await GetAsync($"{written["conversationId"]}/messages?fields=from,message,tags")).Json["data"]!.AsArray();

        Assert.All(seeded, pair => AssertSide(pair.m.From.Id == pair.Item2, pair.m.Tags));
        Assert.All(live, m => AssertSide(m!["from"]!["id"]!.GetValue<string>() == person,
            m["tags"]!["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList()));
        Assert.Equal(["unread one:inbox", "From the API:sent,source:page_platform_api", "From the inbox:sent,source:web", "Hi! Is this still available?:inbox,read"],
            live.Select(m => $"{m!["message"]}:{string.Join(',', m["tags"]!["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()))}"));
    }

    [Fact]
    public async Task A_recorded_video_has_its_video_type_and_an_uploaded_one_0()
    {
        var recorded = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger",
            attachments = new[] { new { type = "video", videoType = "recorded_video" } } });
        var uploaded = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", attachments = new[] { new { type = "video" } } });

        int VideoType(JsonNode read) => read["attachments"]!["data"]![0]!["video_data"]!["video_type"]!.GetValue<int>();
        Assert.Equal(1, VideoType((await GetAsync($"{recorded["messageId"]}?fields=attachments")).Json));
        Assert.Equal(0, VideoType((await GetAsync($"{uploaded["messageId"]}?fields=attachments")).Json));
    }

    [Fact]
    public async Task An_animated_image_serves_its_raw_gif_and_webp_when_asked()
    {
        var message = PageData.Conversations.SelectMany(c => c.Messages).First(m => m.HasDetails && m.Attachments.Any(a => a.Animated));
        var gif = message.Attachments.First(a => a.Animated);

        var image = (await GetAsync($"{message.Id}?fields=attachments{{id,image_data{{raw_gif_image,raw_webp_image}}}}")).Json["attachments"]!["data"]!
            .AsArray().First(a => a!["id"]!.GetValue<string>() == gif.Id)!["image_data"]!;

        Assert.Equal(gif.Url, image["raw_gif_image"]!.GetValue<string>());
        Assert.Equal(Path.ChangeExtension(gif.Url, ".webp"), image["raw_webp_image"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("messages", """{"pageId":"PAGE","platform":"messenger","text":"hi","attachments":[{"type":"sticker"}]}""", "sticker")]
    [InlineData("messages", """{"pageId":"PAGE","platform":"instagram","attachments":[{"type":"sticker"}]}""", "sticker")]
    [InlineData("messages", """{"pageId":"PAGE","platform":"messenger","story":"mention"}""", "Instagram person")]
    [InlineData("messages", """{"pageId":"PAGE","platform":"instagram","story":"reply"}""", "story is")]
    [InlineData("messages", """{"pageId":"PAGE","platform":"instagram","unsupported":true,"text":"x"}""", "unsupported")]
    [InlineData("messages", """{"pageId":"PAGE","platform":"messenger","attachments":[{"type":"video","videoType":"hologram"}]}""", "videoType")]
    [InlineData("postbacks", """{"pageId":"PAGE","platform":"messenger","payload":"P"}""", "title")]
    [InlineData("availability", """{"pageId":"PAGE","platform":"messenger","availability":"away"}""", "userId or conversationId")]
    public async Task Bad_input_for_the_new_kinds_is_refused_with_a_clear_message(string kind, string body, string message)
    {
        var response = await Http.PostAsync($"_emulator/{kind}",
            new StringContent(body.Replace("PAGE", Page.PageId), System.Text.Encoding.UTF8, "application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, error["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unknown_availability_is_refused()
    {
        var person = PageData.Folder(InboxPlatform.Messenger)[0].Customer.Id;

        var answer = await PostJsonAsync("_emulator/availability", new { pageId = Page.PageId, platform = "messenger", userId = person, availability = "away" });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("\"blocked\"", answer.Json["error"]!["message"]!.GetValue<string>());
    }

    private static void AssertSide(bool fromPerson, IReadOnlyList<string> tags)
    {
        if (fromPerson)
        {
            Assert.Equal("inbox", tags[0]);
            Assert.DoesNotContain("sent", tags);
        }
        else
        {
            Assert.Equal("sent", tags[0]);
            Assert.Single(tags, t => t.StartsWith("source:", StringComparison.Ordinal));
            Assert.DoesNotContain("inbox", tags);
            Assert.DoesNotContain("read", tags);
        }
    }
}
