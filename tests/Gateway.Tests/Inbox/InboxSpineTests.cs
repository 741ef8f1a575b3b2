using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;

namespace Gateway.Tests.Inbox;

/// <summary>The inbox event spine under the two conditions that used to hurt: one Page flooded while another waits, and
/// Redis away while instances keep receiving webhooks.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class InboxSpineTests
{
    private const string Received = "subscription($page: ID!) { messageReceived(pageId: $page) { metaId } }";

    /// <summary>Five thousand new people write to one Page at once, against Meta's 2 calls per second, and the server holds
    /// the Page's token (so each new person's conversation is looked up). Every delivery is accepted, every event reaches the
    /// Page's subscriber without waiting for those lookups, and another Page's event is not held behind them.</summary>
    [Fact]
    public async Task Five_thousand_new_people_on_one_page_are_delivered_at_once_and_hold_no_other_page()
    {
        await using var host = await GatewayHost.StartAsync(new EmulatorOptions { RateLimitPerSecond = 2 }, configurePages: true, settings: MetaWebhooks.Settings(
            ("Meta:RateLimit:CallsPerSecond", "2"), ("GraphQL:Subscriptions:OutboundBufferCapacity", "10000")));
        var (flooded, other) = (host.Emulator.Seed[0].PageId, host.Emulator.Seed[1].PageId);
        await using var floodedSubscriber = await host.SubscribeAsync(Received, new { page = flooded });
        await using var otherSubscriber = await GraphQLWsClient.ConnectAndInitAsync(host, new { Authorization = "Bearer " + host.Emulator.Seed[1].AccessToken });
        await otherSubscriber.SubscribeAsync("1", Received, new { page = other });
        await host.WaitForSubscriptionsAsync(2);

        var statuses = new List<int>();
        for (var delivery = 0; delivery < 5; delivery++)
        {
            // Meta puts up to 1,000 updates in one POST.
            var messaging = Enumerable.Range(delivery * 1000, 1000)
                .Select(i => MetaWebhooks.Message(flooded, $"7770000000{i:D6}", $"m_flood_{i}", "hello", 1_700_000_000_000 + i)).ToArray();
            using var response = await host.PostWebhookAsync(MetaWebhooks.Delivery(flooded, messaging));
            statuses.Add((int)response.StatusCode);
        }
        using var toTheOtherPage = await host.PostWebhookAsync(MetaWebhooks.Delivery(other, MetaWebhooks.Message(other, "7780000000000001", "m_other", "hi", 1_700_000_100_000)));
        var otherEvent = await otherSubscriber.ReceiveDataAsync("1");
        var flood = new HashSet<string>();
        while (flood.Count < 5000)
        {
            flood.Add((await floodedSubscriber.ReceiveDataAsync("1")).At("messageReceived.metaId")!.GetValue<string>());
        }

        Assert.All(statuses, status => Assert.Equal(200, status));
        Assert.Equal("m_other", otherEvent.At("messageReceived.metaId")!.GetValue<string>());
        Assert.Equal(5000, flood.Count);
        // At 2 calls per second, the conversation lookups had barely begun: they never held an event.
        Assert.True(host.UpstreamCalls.Count < 500, $"{host.UpstreamCalls.Count} Graph calls");
    }

    /// <summary>Redis goes away while a webhook reaches instance A. A's own subscriber hears of it; B's cannot. When Redis is
    /// back, every subscriber of that Page, on both instances, is told its stream has a hole (EVENT_HISTORY_EXPIRED) and
    /// ended, and resuming across the hole is refused the same way: nobody is left with a silent gap.</summary>
    [Fact]
    public async Task Events_received_while_redis_is_away_end_the_pages_subscribers_with_event_history_expired_when_it_returns()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        var settings = MetaWebhooks.Settings(("ConnectionStrings:Redis", redis.ConnectionString));
        await using var a = await GatewayHost.StartAsync(settings: settings, configurePages: true, sharedEmulator: emulator);
        await using var b = await GatewayHost.StartAsync(settings: settings, configurePages: true, sharedEmulator: emulator);
        var page = a.Page.PageId;
        var (_, person) = a.Person();
        const string resumable = "subscription($page: ID!, $after: String) { messageReceived(pageId: $page, after: $after) { metaId } }";
        await using var onA = await a.SubscribeAsync(resumable, new { page });
        await using var onB = await b.SubscribeAsync(resumable, new { page });
        (await a.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_before", "before", 1_700_000_000_000)))).EnsureSuccessStatusCode();
        var before = (await onB.ReceiveResultAsync("1")).At("extensions.eventId")!.GetValue<string>();
        await onA.ReceiveResultAsync("1");

        await redis.StopAsync();
        (await a.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_while_away", "while away", 1_700_000_001_000)))).EnsureSuccessStatusCode();
        var heardOnA = await onA.ReceiveDataAsync("1");
        await redis.StartAgainAsync();
        var endedOnA = new[] { await onA.ReceiveAsync(), await onA.ReceiveAsync() };
        var endedOnB = new[] { await onB.ReceiveAsync(), await onB.ReceiveAsync() };
        await using var resuming = await GraphQLWsClient.ConnectAndInitAsync(b, new { Authorization = "Bearer " + b.Page.AccessToken });
        await resuming.SubscribeAsync("1", resumable, new { page, after = before });
        var refused = await resuming.ReceiveAsync();

        Assert.Equal("m_while_away", heardOnA.At("messageReceived.metaId")!.GetValue<string>());
        foreach (var ended in (JsonNode?[][])[endedOnA, endedOnB])
        {
            Assert.True(ended[1]?["type"]?.GetValue<string>() == "complete", string.Join(" | ", ended.Select(e => e?.ToJsonString())));
            Assert.Equal("EVENT_HISTORY_EXPIRED", ended[0].At("payload.errors.0.extensions.code")!.GetValue<string>());
            Assert.Equal("complete", ended[1]!["type"]!.GetValue<string>());
        }
        Assert.Equal("EVENT_HISTORY_EXPIRED", refused.At("payload.errors.0.extensions.code")!.GetValue<string>());
    }
}
