using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Subscriptions;

/// <summary>Meta's side of webhooks over real HTTP: the handshake, signatures, and what a subscriber then receives.</summary>
public sealed class WebhookEndpointTests
{
    private const string MessageTexts = "subscription($page: ID!) { messageReceived(pageId: $page) { metaId message } }";

    [Fact]
    public async Task Handshake_echoes_the_challenge_for_the_configured_verify_token_and_refuses_any_other()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings());

        using var accepted = await host.Client.GetAsync($"/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={MetaWebhooks.VerifyToken}");
        using var wrongToken = await host.Client.GetAsync("/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess");
        using var wrongMode = await host.Client.GetAsync($"/webhooks/meta?hub.mode=unsubscribe&hub.challenge=1158201444&hub.verify_token={MetaWebhooks.VerifyToken}");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("text/plain", accepted.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await accepted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongMode.StatusCode);
        Assert.DoesNotContain("1158201444", await wrongToken.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Deliveries_with_a_missing_or_wrong_signature_get_401_and_publish_nothing()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        var page = host.Page.PageId;
        var (_, person) = host.Person();
        await using var subscriber = await host.SubscribeAsync(MessageTexts, new { page });

        var forged = MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_forged", "forged", 1_700_000_000_001));
        using var unsigned = await host.PostWebhookAsync(forged, signature: "");
        using var wrongSecret = await host.PostWebhookAsync(forged, MetaWebhooks.Sign(forged, "another-secret"));
        using var notHex = await host.PostWebhookAsync(forged, "sha256=" + new string('z', 64));
        var genuine = MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_genuine", "genuine", 1_700_000_000_002));
        // Signed over other bytes: the signature of the genuine body on the forged one.
        using var otherBody = await host.PostWebhookAsync(forged, MetaWebhooks.Sign(genuine));
        using var valid = await host.PostWebhookAsync(genuine);

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, notHex.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherBody.StatusCode);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        // Deliveries are processed in order: had a forged one been published, it would arrive first.
        var first = await subscriber.ReceiveDataAsync("1");
        Assert.Equal("m_genuine", first.At("messageReceived.metaId")!.GetValue<string>());
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(MetaWebhooks.AppSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_signature_is_checked_over_the_raw_bytes_with_meta_escaping()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        var page = host.Page.PageId;
        var (_, person) = host.Person();
        await using var subscriber = await host.SubscribeAsync(MessageTexts, new { page }, new { authorization = "Bearer " + host.Page.AccessToken });

        // As Meta sends it: non-ASCII as \uXXXX and "/" as "\/"; re-serializing would change the bytes and the signature.
        var body = Encoding.UTF8.GetBytes($$$"""{"object":"page","entry":[{"id":"{{{page}}}","time":1700000000000,"messaging":[{"sender":{"id":"{{{person}}}"},"recipient":{"id":"{{{page}}}"},"timestamp":1700000000000,"message":{"mid":"m_escaped","text":"Ol\u00e1, 1\/2 \ud83d\ude0a"}}]}]}""");
        using var response = await host.PostWebhookAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = await subscriber.ReceiveDataAsync("1");
        Assert.Equal("Olá, 1/2 😊", data.At("messageReceived.message")!.GetValue<string>());
    }

    [Fact]
    public async Task Duplicates_and_out_of_order_events_are_delivered_once_and_in_order()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        var page = host.Page.PageId;
        var (_, person) = host.Person();
        await using var subscriber = await host.SubscribeAsync(MessageTexts, new { page });
        object At(int second) => MetaWebhooks.Message(page, person, $"m_{second}", $"text {second}", 1_700_000_000_000 + second * 1000);

        using var first = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, At(3), At(1), At(2), At(1)));
        // Meta's retry of the same delivery, then one more event.
        using var retry = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, At(3), At(1), At(2), At(1)));
        using var last = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, At(2), At(4)));

        var received = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            received.Add((await subscriber.ReceiveDataAsync("1")).At("messageReceived.metaId")!.GetValue<string>());
        }
        Assert.Equal(["m_1", "m_2", "m_3", "m_4"], received);
        await subscriber.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await subscriber.ReceiveAsync())!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Within_the_reorder_window_an_older_event_of_a_later_delivery_is_published_first()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(("Inbox:ReorderWindow", "00:00:03")), configurePages: true);
        var page = host.Page.PageId;
        var (_, person) = host.Person();
        await using var subscriber = await host.SubscribeAsync(MessageTexts, new { page });

        using var newer = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_newer", "newer", 1_700_000_002_000)));
        using var older = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_older", "older", 1_700_000_001_000)));

        Assert.Equal("m_older", (await subscriber.ReceiveDataAsync("1")).At("messageReceived.metaId")!.GetValue<string>());
        Assert.Equal("m_newer", (await subscriber.ReceiveDataAsync("1")).At("messageReceived.metaId")!.GetValue<string>());
    }

    [Fact]
    public async Task A_person_is_mapped_to_their_conversation_with_one_graph_call_and_never_again()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        var page = host.Page.PageId;
        var (conversation, person) = host.Person();
        // The configured token is the Page's: subscribing costs no verification call.
        await using var subscriber = await host.SubscribeAsync("subscription($page: ID!) { messageEvents(pageId: $page) { kind conversation { metaId } message { metaId from { metaId name } message } } }", new { page });
        host.Emulator.ResetRequests();

        using var first = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_a", "a", 1_700_000_001_000)));
        var a = await subscriber.ReceiveDataAsync("1");
        using var second = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_b", "b", 1_700_000_002_000)));
        var b = await subscriber.ReceiveDataAsync("1");

        var lookup = Assert.Single(host.UpstreamCalls);
        Assert.Equal($"/v25.0/{page}/conversations", lookup.Path);
        Assert.Contains($"user_id={person}", lookup.Query);
        Assert.Equal(conversation, a.At("messageEvents.conversation.metaId")!.GetValue<string>());
        Assert.Equal(conversation, b.At("messageEvents.conversation.metaId")!.GetValue<string>());
        Assert.Equal("NEW", b.At("messageEvents.kind")!.GetValue<string>());
        Assert.Equal(person, b.At("messageEvents.message.from.metaId")!.GetValue<string>());
        // The sender's name came with the same lookup.
        Assert.False(string.IsNullOrEmpty(b.At("messageEvents.message.from.name")?.GetValue<string>()));
    }

    [Fact]
    public async Task Unknown_event_kinds_are_ignored_and_counted()
    {
        var ignored = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Gateway" && instrument.Name == "gateway.webhooks.events")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var values = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            if (values["outcome"] == "ignored")
            {
                lock (ignored)
                {
                    ignored.Add(values["kind"]!);
                }
            }
        });
        listener.Start();
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        var page = host.Page.PageId;
        var (_, person) = host.Person();
        await using var subscriber = await host.SubscribeAsync("subscription($page: ID!) { messageEvents(pageId: $page) { kind messageId } }", new { page });

        var postback = new { sender = new { id = person }, recipient = new { id = page }, timestamp = 1_700_000_000_500L, postback_test_kind = new { title = "Start", payload = "GET_STARTED" } };
        using var response = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, postback, MetaWebhooks.Message(page, person, "m_after", "after", 1_700_000_001_000)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = await subscriber.ReceiveDataAsync("1");
        Assert.Equal("m_after", data.At("messageEvents.messageId")!.GetValue<string>());
        lock (ignored)
        {
            Assert.Contains("postback_test_kind", ignored);
        }
    }

    [Fact]
    public async Task Signed_but_malformed_deliveries_are_dropped_and_the_next_one_is_still_published()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        var page = host.Page.PageId;
        var (_, person) = host.Person();
        await using var subscriber = await GraphQLWsClient.ConnectAndInitAsync(host);
        await subscriber.SubscribeAsync("1", MessageTexts, new { page });
        await host.WaitForSubscriptionsAsync(1);

        foreach (var malformed in (string[])[
            "not json",
            "[]",
            """{"object":"page","entry":[42,"x",{"id":"1","messaging":[7,{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":"soon","message":{"mid":"m_x"}}]}]}""",
            """{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1e300,"read":{"watermark":"x"}}]}]}""",
        ])
        {
            using var response = await host.PostWebhookAsync(Encoding.UTF8.GetBytes(malformed));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using var valid = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_after_malformed", "still here", 1_700_000_000_000)));

        Assert.Equal("m_after_malformed", (await subscriber.ReceiveDataAsync("1")).At("messageReceived.metaId")!.GetValue<string>());
    }

    [Fact]
    public async Task A_delivery_over_the_body_limit_is_refused_with_413()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(("Meta:Webhooks:MaxBodyBytes", "1024")));
        var body = MetaWebhooks.Delivery(host.Page.PageId, MetaWebhooks.Message(host.Page.PageId, "1", "m_big", new string('x', 2000), 1));

        using var response = await host.PostWebhookAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
