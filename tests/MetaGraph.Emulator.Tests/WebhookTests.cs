using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>Webhook delivery to a real receiver on loopback: the handshake, Meta's signature and escaping, batching,
/// retries and the fault knobs.</summary>
public sealed class WebhookTests : EmulatorTest
{
    [Fact]
    public async Task Configuring_a_webhook_performs_the_verification_handshake_first()
    {
        await using var receiver = await WebhookReceiver.StartAsync();

        var answer = await ConfigureAsync(receiver);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var handshake = Assert.Single(receiver.Verifications);
        Assert.Matches($"^\\?hub.mode=subscribe&hub.challenge=[0-9]+&hub.verify_token={WebhookReceiver.VerifyToken}$", handshake);
        Assert.Equal(receiver.Url, answer.Json["webhookUrl"]!.GetValue<string>());
        Assert.DoesNotContain(WebhookReceiver.AppSecret, answer.Body);
        Assert.DoesNotContain(WebhookReceiver.VerifyToken, answer.Body);
    }

    [Fact]
    public async Task A_url_that_refuses_the_verify_token_is_not_taken()
    {
        await using var receiver = await WebhookReceiver.StartAsync(verifyToken: "another-token");

        var answer = await ConfigureAsync(receiver);
        await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", text = "anyone?" });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("failed verification: its GET answered 403", answer.Json["error"]!["message"]!.GetValue<string>());
        Assert.Null((await PostJsonAsync("_emulator/config", new { })).Json["webhookUrl"]);
        Assert.Equal(0, JsonNode.Parse(await Http.GetStringAsync("_emulator/webhooks"))!["count"]!.GetValue<int>());
        Assert.True(receiver.NothingMoreReceived);
    }

    [Fact]
    public async Task A_url_that_does_not_echo_the_challenge_is_not_taken()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.EchoChallenge = false;

        var answer = await ConfigureAsync(receiver);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("not with the hub.challenge", answer.Json["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"webhookUrl":"http://127.0.0.1:1/hook","webhookVerifyToken":"t"}""", "appSecret")]
    [InlineData("""{"webhookUrl":"ftp://example.invalid/hook","appSecret":"s","webhookVerifyToken":"t"}""", "absolute http or https")]
    [InlineData("""{"webhookUrl":"http://127.0.0.1:1/hook","appSecret":"s","webhookVerifyToken":"t"}""", "did not answer the verification")]
    [InlineData("""{"webhookDuplicateRate":1.5}""", "webhookDuplicateRate")]
    [InlineData("""{"webhookMaxAttempts":0}""", "webhookMaxAttempts")]
    public async Task Bad_webhook_settings_are_refused_with_a_clear_message(string body, string message)
    {
        var response = await Http.PostAsync("_emulator/config", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, JsonNode.Parse(text)!["error"]!["message"]!.GetValue<string>());
        Assert.DoesNotContain("\"s\"", text);
    }

    [Fact]
    public async Task A_message_is_posted_in_metas_shape_signed_over_the_exact_bytes_with_metas_escaping()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await ConfigureAsync(receiver);

        var written = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", text = "Grüße 😊 a/b <ok> & \"q\"",
            attachments = new[] { new { type = "image", url = "https://cdn.example.invalid/p.jpg" } } });
        var post = await receiver.NextPostAsync();

        Assert.Equal(Sign("sha256", post.Body), post.Signature256);
        Assert.Equal(Sign("sha1", post.Body), post.Signature1);
        Assert.Equal("application/json", post.ContentType);
        Assert.All(post.Body, b => Assert.InRange(b, (byte)0x20, (byte)0x7E));
        Assert.Contains("""Gr\u00fc\u00dfe \ud83d\ude0a a\/b <ok> & \"q\""", post.Text);
        Assert.Contains("""https:\/\/cdn.example.invalid\/p.jpg""", post.Text);
        var timestamp = written["timestamp"]!.GetValue<long>();
        var expected = new JsonObject
        {
            ["object"] = "page",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = Page.PageId,
                ["time"] = timestamp,
                ["messaging"] = new JsonArray(new JsonObject
                {
                    ["sender"] = new JsonObject { ["id"] = written["userId"]!.GetValue<string>() },
                    ["recipient"] = new JsonObject { ["id"] = Page.PageId },
                    ["timestamp"] = timestamp,
                    ["message"] = new JsonObject
                    {
                        ["mid"] = written["messageId"]!.GetValue<string>(),
                        ["text"] = "Grüße 😊 a/b <ok> & \"q\"",
                        ["attachments"] = new JsonArray(new JsonObject
                        {
                            ["type"] = "image",
                            ["payload"] = new JsonObject { ["url"] = "https://cdn.example.invalid/p.jpg" },
                        }),
                    },
                }),
            }),
        };
        Assert.True(JsonNode.DeepEquals(expected, post.Json), post.Text);
    }

    [Fact]
    public async Task Instagram_events_come_as_instagram_objects_of_the_instagram_account()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await ConfigureAsync(receiver);

        var written = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "instagram", text = "hey" });
        var post = await receiver.NextPostAsync();

        Assert.Equal("instagram", post.Json["object"]!.GetValue<string>());
        Assert.Equal(Page.InstagramAccountId, post.Entries[0]!["id"]!.GetValue<string>());
        Assert.Equal(written["userId"]!.GetValue<string>(), post.Events[0]["sender"]!["id"]!.GetValue<string>());
        Assert.Equal(Page.InstagramAccountId, post.Events[0]["recipient"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Echoes_reads_reactions_and_unsends_have_metas_shapes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await ConfigureAsync(receiver);
        var conversation = PageData.Folder(InboxPlatform.Messenger)[0];

        var echo = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", conversationId = conversation.Id, text = "Thanks!", fromPage = true });
        var echoEvent = (await receiver.NextPostAsync()).Events[0];
        await ChangeAsync("reads", new { pageId = Page.PageId, platform = "messenger", conversationId = conversation.Id });
        var readEvent = (await receiver.NextPostAsync()).Events[0];
        await ChangeAsync("reactions", new { pageId = Page.PageId, messageId = echo["messageId"]!.GetValue<string>(), reaction = "love" });
        var reactionEvent = (await receiver.NextPostAsync()).Events[0];
        var instagram = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "instagram", text = "oops" });
        await receiver.NextPostAsync();
        await ChangeAsync("unsends", new { pageId = Page.PageId, messageId = instagram["messageId"]!.GetValue<string>() });
        var unsendEvent = (await receiver.NextPostAsync()).Events[0];

        Assert.Equal(Page.PageId, echoEvent["sender"]!["id"]!.GetValue<string>());
        Assert.Equal(conversation.Customer.Id, echoEvent["recipient"]!["id"]!.GetValue<string>());
        Assert.True(echoEvent["message"]!["is_echo"]!.GetValue<bool>());
        Assert.Equal(conversation.Customer.Id, readEvent["sender"]!["id"]!.GetValue<string>());
        Assert.Equal(echoEvent["timestamp"]!.GetValue<long>(), readEvent["read"]!["watermark"]!.GetValue<long>());
        Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["mid"] = echo["messageId"]!.GetValue<string>(), ["action"] = "react", ["reaction"] = "love", ["emoji"] = "\u2764" },
            reactionEvent["reaction"]));
        Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["mid"] = instagram["messageId"]!.GetValue<string>(), ["is_deleted"] = true }, unsendEvent["message"]));
    }

    [Fact]
    public async Task Events_that_happen_together_share_one_post_in_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await ConfigureAsync(receiver);

        var written = (await PostJsonAsync("_emulator/messages", Enumerable.Range(1, 3)
            .Select(i => new { pageId = Page.PageId, platform = "messenger", text = $"part {i}" }).ToArray())).Json.AsArray();
        var post = await receiver.NextPostAsync();

        Assert.Equal(written.Select(w => w!["messageId"]!.GetValue<string>()), post.Mids);
        Assert.Equal(["part 1", "part 2", "part 3"], post.Events.Select(e => e["message"]!["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Events_queued_while_a_post_is_in_flight_go_out_together_next()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await ConfigureAsync(receiver);
        var held = receiver.HoldNextPost();

        var first = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", text = "one" });
        var firstPost = await receiver.NextPostAsync();
        var second = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", text = "two" });
        var third = await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", text = "three" });
        held.SetResult();
        var nextPost = await receiver.NextPostAsync();

        Assert.Equal([first["messageId"]!.GetValue<string>()], firstPost.Mids);
        Assert.Equal([second["messageId"]!.GetValue<string>(), third["messageId"]!.GetValue<string>()], nextPost.Mids);
    }

    [Fact]
    public async Task A_post_answered_500_is_retried_with_the_same_bytes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await ConfigureAsync(receiver, new { webhookRetryDelayMs = 10 });
        receiver.AnswerNextPostsWith(500, 503);

        await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", text = "retry me" });
        var attempts = new[] { await receiver.NextPostAsync(), await receiver.NextPostAsync(), await receiver.NextPostAsync() };
        var log = await DeliveriesAsync(receiver, 1);

        Assert.All(attempts, a => Assert.Equal(attempts[0].Body, a.Body));
        Assert.All(attempts, a => Assert.Equal(attempts[0].Signature256, a.Signature256));
        Assert.Equal("""{"id":1,"object":"page","events":1,"attempts":3,"status":"delivered","httpStatus":200,"duplicate":false}""", log[0]!.ToJsonString());
    }

    [Fact]
    public async Task A_post_that_keeps_failing_is_given_up_after_the_configured_attempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await ConfigureAsync(receiver, new { webhookRetryDelayMs = 1, webhookMaxAttempts = 2 });
        receiver.AnswerNextPostsWith(500, 500);

        await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", text = "lost" });
        var attempts = new[] { await receiver.NextPostAsync(), await receiver.NextPostAsync() };
        var log = await DeliveriesAsync(receiver, 1);

        Assert.Equal(attempts[0].Body, attempts[1].Body);
        Assert.Equal("failed", log[0]!["status"]!.GetValue<string>());
        Assert.Equal(2, log[0]!["attempts"]!.GetValue<int>());
        Assert.Equal(500, log[0]!["httpStatus"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_unreachable_receiver_is_retried_then_given_up_and_later_events_still_go_out()
    {
        var gone = await WebhookReceiver.StartAsync();
        await ConfigureAsync(gone, new { webhookRetryDelayMs = 1, webhookMaxAttempts = 2 });
        await gone.DisposeAsync();

        await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", text = "into the void" });
        await using var receiver = await WebhookReceiver.StartAsync();
        await ConfigureAsync(receiver);
        var log = await DeliveriesAsync(receiver, 1);

        Assert.Equal("""{"id":1,"object":"page","events":1,"attempts":2,"status":"failed","duplicate":false}""", log[0]!.ToJsonString());
    }

    [Fact]
    public async Task A_duplicate_rate_of_1_delivers_every_post_twice_byte_for_byte()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await ConfigureAsync(receiver, new { webhookDuplicateRate = 1.0 });

        await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", text = "twice" });
        var first = await receiver.NextPostAsync();
        var second = await receiver.NextPostAsync();
        var log = await DeliveriesAsync(receiver, 2);

        Assert.Equal(first.Body, second.Body);
        Assert.Equal([false, true], log.Select(d => d!["duplicate"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Reorder_posts_events_that_happen_together_one_by_one_out_of_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await ConfigureAsync(receiver, new { webhookReorder = true });

        var written = (await PostJsonAsync("_emulator/messages", Enumerable.Range(1, 4)
            .Select(i => new { pageId = Page.PageId, platform = "messenger", text = $"part {i}" }).ToArray())).Json.AsArray();
        var posts = new List<ReceivedPost>();
        for (var i = 0; i < 4; i++)
        {
            posts.Add(await receiver.NextPostAsync());
        }

        var sent = written.Select(w => w!["messageId"]!.GetValue<string>()).ToList();
        var delivered = posts.Select(p => Assert.Single(p.Mids)).ToList();
        Assert.NotEqual(sent, delivered);
        Assert.Equal(sent.Order(), delivered.Order());
    }

    [Fact]
    public async Task Turning_webhooks_off_stops_deliveries()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await ConfigureAsync(receiver);

        var off = await PostJsonAsync("_emulator/config", new { webhookUrl = "" });
        await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", text = "unheard" });

        Assert.Equal(HttpStatusCode.OK, off.Status);
        Assert.Null(off.Json["webhookUrl"]);
        Assert.Equal(0, JsonNode.Parse(await Http.GetStringAsync("_emulator/webhooks"))!["count"]!.GetValue<int>());
        Assert.True(receiver.NothingMoreReceived);
    }

    private async Task<GraphAnswer> ConfigureAsync(WebhookReceiver receiver, object? knobs = null)
    {
        var config = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(knobs ?? new { }))!.AsObject();
        config["webhookUrl"] = receiver.Url;
        config["appSecret"] = WebhookReceiver.AppSecret;
        config["webhookVerifyToken"] = WebhookReceiver.VerifyToken;
        return await PostJsonAsync("_emulator/config", config);
    }

    /// <summary>The first <paramref name="count"/> entries of the delivery log, once they are settled: POSTs go out one at a
    /// time, so when a later message's POST arrives the emulator has written down every outcome before it.</summary>
    private async Task<JsonArray> DeliveriesAsync(WebhookReceiver receiver, int count)
    {
        await ChangeAsync("messages", new { pageId = Page.PageId, platform = "messenger", text = "later" });
        await receiver.NextPostAsync();
        var log = JsonNode.Parse(await Http.GetStringAsync("_emulator/webhooks"))!["deliveries"]!.AsArray();
        return new JsonArray([.. log.Take(count).Select(d => d!.DeepClone())]);
    }

    private static string Sign(string algorithm, byte[] body)
    {
        var key = Encoding.UTF8.GetBytes(WebhookReceiver.AppSecret);
        var hash = algorithm == "sha256" ? HMACSHA256.HashData(key, body) : HMACSHA1.HashData(key, body);
        return $"{algorithm}={Convert.ToHexStringLower(hash)}";
    }
}
