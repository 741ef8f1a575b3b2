using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Gateway.Api;
using Gateway.Telemetry;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Gateway.Tests.Sending;

/// <summary><c>sendMessage</c> end to end over real HTTP: the emulator's Send API receives exactly what was asked, the payload
/// is the message as delivered, the next reads show it, and a subscriber hears of it once.</summary>
public sealed class SendMessageTests
{
    [Fact]
    public async Task A_reply_to_a_conversation_by_its_global_id_is_one_Send_call_and_answers_the_message_as_delivered()
    {
        await using var host = await Sends.StartWithWebhooksAsync();
        var written = await host.PersonWritesAsync();
        host.Emulator.ResetRequests();

        var payload = (await host.SendAsync(new
        {
            conversationId = GlobalIds.Encode(GlobalIds.Conversation, written.ConversationId),
            text = "It left our warehouse this morning.",
            replyToMessageId = GlobalIds.Encode(GlobalIds.Message, written.MessageId),
        })).Payload();

        var sent = Assert.Single(host.Emulator.SentMessages);
        var message = payload["message"]!;
        Assert.Null(payload["errors"]);
        Assert.Equal(sent.MessageId, message["metaId"]!.GetValue<string>());
        Assert.Equal(GlobalIds.Encode(GlobalIds.Message, sent.MessageId!), message["id"]!.GetValue<string>());
        Assert.Equal("It left our warehouse this morning.", message["message"]!.GetValue<string>());
        Assert.Equal(host.Page.PageId, message.At("from.metaId")!.GetValue<string>());
        Assert.Equal(written.PersonId, message.At("to.0.metaId")!.GetValue<string>());
        Assert.Equal(written.MessageId, message["replyTo"]!.GetValue<string>());
        Assert.Equal((written.PersonId, written.ConversationId, "RESPONSE", "It left our warehouse this morning.", written.MessageId),
            (sent.RecipientId, sent.ConversationId, sent.MessagingType, sent.Text, sent.ReplyTo));
        // The window and the conversation were known from the webhook: no read, one Send API call.
        Assert.Single(host.UpstreamCalls);
        Assert.Single(host.SendCalls());
    }

    [Fact]
    public async Task A_message_to_a_person_by_page_platform_and_psid_with_an_image_is_sent_as_an_attachment()
    {
        await using var host = await Sends.StartWithWebhooksAsync();
        var written = await host.PersonWritesAsync(conversationIndex: 1);

        var payload = (await host.SendAsync(new
        {
            recipient = new { pageId = host.Page.PageId, platform = "MESSENGER", userId = written.PersonId },
            attachment = new { type = "IMAGE", url = "https://cdn.example.com/receipt.png" },
        })).Payload();

        var sent = Assert.Single(host.Emulator.SentMessages);
        Assert.Null(payload["errors"]);
        Assert.Equal(("image", "https://cdn.example.com/receipt.png"), (sent.Attachment!.Type, sent.Attachment.Url));
        Assert.Equal(written.ConversationId, sent.ConversationId);
        Assert.Equal("IMAGE", payload.At("message.attachments.0.type")!.GetValue<string>());
        Assert.Equal("https://cdn.example.com/receipt.png", payload.At("message.attachments.0.url")!.GetValue<string>());
    }

    /// <summary>Graph answers slower than a reader waits for a refresh (<c>Gateway:Cache:RefreshWait</c>, 250 ms): a reader is
    /// then given the answer from before an invalidation, unless it reads what this gateway wrote.</summary>
    [Fact]
    public async Task After_sendMessage_returns_the_next_inbox_and_thread_reads_show_the_message()
    {
        await using var host = await Sends.StartWithWebhooksAsync();
        var written = await host.PersonWritesAsync();
        const string thread = "query($id: ID!) { conversation(id: $id) { snippet messages(first: 3) { nodes { metaId message } } } }";
        var inbox = GatewayHost.Operation("inbox");
        // Both answers cached before the send.
        await host.QueryAsync(inbox, new { pageId = host.Page.PageId });
        await host.QueryAsync(thread, new { id = written.ConversationId });
        host.Emulator.Configure(new MetaGraph.Emulator.EmulatorRuntimeConfig(LatencyMs: 400));

        var sentId = (await host.SendAsync(new { conversationId = written.ConversationId, text = "Read your own writes." })).Payload().At("message.metaId")!.GetValue<string>();
        var inboxAfter = await host.QueryAsync(inbox, new { pageId = host.Page.PageId });
        var threadAfter = await host.QueryAsync(thread, new { id = written.ConversationId });

        var newest = inboxAfter.At("data.page.conversations.edges.0.node")!;
        Assert.Equal(written.ConversationId, newest.At("id") is { } id && GlobalIds.TryDecode(id.GetValue<string>(), out _, out var metaId) ? metaId : null);
        Assert.Equal("Read your own writes.", newest["snippet"]!.GetValue<string>());
        Assert.Equal(sentId, GlobalIds.TryDecode(newest.At("messages.edges.0.node.id")!.GetValue<string>(), out _, out var newestMessage) ? newestMessage : null);
        Assert.Equal(sentId, threadAfter.At("data.conversation.messages.nodes.0.metaId")!.GetValue<string>());
        Assert.Equal("Read your own writes.", threadAfter.At("data.conversation.snippet")!.GetValue<string>());
        Assert.Null(inboxAfter["extensions"]?["cache"]);
        Assert.Null(threadAfter["extensions"]?["cache"]);
    }

    [Fact]
    public async Task A_subscriber_hears_of_a_sent_message_once_and_Metas_echo_of_it_is_dropped_as_a_duplicate()
    {
        await using var host = await Sends.StartWithWebhooksAsync();
        var written = await host.PersonWritesAsync();
        using var webhookEvents = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), GatewayMetrics.MeterName, "gateway.webhooks.events");
        await using var subscriber = await host.SubscribeAsync(
            "subscription($page: ID!) { messageEvents(pageId: $page) { kind messageId message { from { metaId } message } } }", new { page = host.Page.PageId });

        var sentId = (await host.SendAsync(new { conversationId = written.ConversationId, text = "Once only." })).Payload().At("message.metaId")!.GetValue<string>();
        var heard = (await subscriber.ReceiveDataAsync("1"))["messageEvents"]!;
        await Eventually.TrueAsync(() => webhookEvents.GetMeasurementSnapshot().Any(m => Equals(m.Tags["kind"], "Echo") && Equals(m.Tags["outcome"], "duplicate")),
            TimeSpan.FromSeconds(30), "Meta's echo webhook of the sent message to be dropped");
        // Events of a Page arrive in order: the person's next message is the next event, so nothing came between.
        var next = await host.MakePersonWriteAsync(new { pageId = host.Page.PageId, platform = "messenger", conversationId = written.ConversationId, text = "Thanks!" });
        var after = (await subscriber.ReceiveDataAsync("1"))["messageEvents"]!;

        Assert.Equal(("ECHO", sentId, "Once only.", host.Page.PageId), (heard["kind"]!.GetValue<string>(), heard["messageId"]!.GetValue<string>(),
            heard.At("message.message")!.GetValue<string>(), heard.At("message.from.metaId")!.GetValue<string>()));
        Assert.Equal(next["messageId"]!.GetValue<string>(), after["messageId"]!.GetValue<string>());
    }

    public static TheoryData<string, object, string> BadInputs => new()
    {
        { "both a conversation and a recipient", new { conversationId = "t_1", recipient = new { pageId = "1", platform = "MESSENGER", userId = "2" }, text = "x" }, "input" },
        { "neither a conversation nor a recipient", new { text = "x" }, "input" },
        { "neither text nor an attachment", new { conversationId = "t_1" }, "input.text" },
        { "text and an attachment", new { conversationId = "t_1", text = "x", attachment = new { type = "IMAGE", url = "https://e.com/a.png" } }, "input.text" },
        { "text over Meta's 2,000 characters", new { conversationId = "t_1", text = new string('x', 2001) }, "input.text" },
        { "an attachment URL that is not http(s)", new { conversationId = "t_1", attachment = new { type = "FILE", url = "file:///etc/passwd" } }, "input.attachment.url" },
        { "an Instagram update tag", new { recipient = new { pageId = "1", platform = "INSTAGRAM", userId = "2" }, text = "x", tag = "ACCOUNT_UPDATE" }, "input.tag" },
        { "an empty idempotency key", new { conversationId = "t_1", text = "x", idempotencyKey = "" }, "input.idempotencyKey" },
        { "an idempotency key over 255 characters", new { conversationId = "t_1", text = "x", idempotencyKey = new string('k', 256) }, "input.idempotencyKey" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_a_coded_error_naming_the_field_and_nothing_is_sent(string name, object input, string field)
    {
        Assert.NotEmpty(name);
        await using var host = await GatewayHost.StartAsync();

        var answer = await host.SendAsync(input);

        var error = Assert.Single(answer["errors"]!.AsArray())!;
        Assert.Equal("INVALID_INPUT", error.At("extensions.code")!.GetValue<string>());
        Assert.Equal(field, error.At("extensions.field")!.GetValue<string>());
        Assert.DoesNotContain("   at ", answer.ToJsonString());
        Assert.Null(answer["data"]);
        Assert.Empty(host.Emulator.Requests);
    }

    [Fact]
    public async Task A_global_id_of_another_type_is_refused_as_INVALID_ID_and_nothing_is_sent()
    {
        await using var host = await GatewayHost.StartAsync();

        var answer = await host.SendAsync(new { conversationId = GlobalIds.Encode(GlobalIds.Message, "m_1"), text = "x" });

        Assert.Equal("INVALID_ID", answer.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Empty(host.Emulator.SentMessages);
    }

    /// <summary>Meta's answer to a send is JSON of its own; a mutation over GET is refused by the GraphQL-over-HTTP rules.</summary>
    [Fact]
    public async Task A_mutation_over_GET_is_refused_with_405_and_nothing_is_sent()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.Client.GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { sendMessage(input: { conversationId: \"t_1\", text: \"x\" }) { errors { __typename } } }"));

        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Empty(host.Emulator.SentMessages);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]);
    }
}
