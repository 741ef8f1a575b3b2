using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;

namespace Gateway.Tests.Caching;

/// <summary>Meta posts a webhook to whichever instance it reaches: with Redis, the subscribers of every instance hear of
/// it, once, even when Meta redelivers it to another instance.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class ScaleOutEventsTests
{
    private const string Subscription = "subscription($page: ID!) { messageReceived(pageId: $page) { metaId message } }";

    [Fact]
    public async Task A_webhook_posted_to_one_instance_reaches_a_subscriber_on_the_other_once_even_when_redelivered_to_both()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        await using var a = await Instance(emulator, redis);
        await using var b = await Instance(emulator, redis);
        var page = a.Page.PageId;
        var (_, person) = a.Person();
        await using var subscriber = await GraphQLWsClient.ConnectAndInitAsync(b, new { Authorization = "Bearer " + b.Page.AccessToken });
        await subscriber.SubscribeAsync("1", Subscription, new { page });
        await b.WaitForSubscriptionsAsync(1);

        var first = MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_via_a", "Posted to A", 1_700_000_000_000));
        var second = MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_after", "Posted to B", 1_700_000_001_000));
        (await a.PostWebhookAsync(first)).EnsureSuccessStatusCode();
        var viaA = await subscriber.ReceiveDataAsync("1");
        // Meta retries the same delivery at the other instance: it must not reach subscribers again. The next message
        // the subscriber gets is the one after it.
        (await b.PostWebhookAsync(first)).EnsureSuccessStatusCode();
        (await b.PostWebhookAsync(second)).EnsureSuccessStatusCode();
        var next = await subscriber.ReceiveDataAsync("1");

        Assert.Equal("m_via_a", viaA.At("messageReceived.metaId")!.GetValue<string>());
        Assert.Equal("m_after", next.At("messageReceived.metaId")!.GetValue<string>());
    }

    [Fact]
    public async Task Resuming_after_an_id_newer_than_any_in_the_pages_redis_stream_is_refused_as_invalid()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        await using var a = await Instance(emulator, redis);
        var page = a.Page.PageId;
        var (_, person) = a.Person();
        const string resumable = "subscription($page: ID!, $after: String) { messageReceived(pageId: $page, after: $after) { metaId } }";
        await using var witness = await GraphQLWsClient.ConnectAndInitAsync(a, new { Authorization = "Bearer " + a.Page.AccessToken });
        await witness.SubscribeAsync("1", resumable, new { page });
        await a.WaitForSubscriptionsAsync(1);
        (await a.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_1", "one", 1_700_000_000_000)))).EnsureSuccessStatusCode();
        var latest = Gateway.Inbox.InboxEventId.Parse((await witness.ReceiveResultAsync("1")).At("extensions.eventId")!.GetValue<string>());

        await using var resuming = await GraphQLWsClient.ConnectAndInitAsync(a, new { Authorization = "Bearer " + a.Page.AccessToken });
        await resuming.SubscribeAsync("1", resumable, new { page, after = (latest with { Sequence = latest.Sequence + 1 }).ToString() });
        var refused = await resuming.ReceiveAsync();

        Assert.Equal("INVALID_EVENT_ID", refused.At("payload.errors.0.extensions.code")!.GetValue<string>());
    }

    /// <summary>Instance A is killed (its own process, no graceful shutdown) while B keeps serving: a subscriber that was on
    /// A reconnects to B with the last event id it saw and gets, once and in order, what happened while it was away; so does
    /// one reconnecting to an instance started afterwards, which has only the Page's Redis stream to go by.</summary>
    [Fact]
    public async Task When_an_instance_is_killed_the_other_keeps_serving_and_its_subscribers_resume_on_the_other_without_loss()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        await using var b = await Instance(emulator, redis);
        var settings = MetaWebhooks.Settings(
            ("ConnectionStrings:Redis", redis.ConnectionString), ("Meta:UseEmulator", "false"),
            ("Meta:GraphApiBaseUrl", emulator.BaseAddress.ToString().TrimEnd('/')),
            ($"Meta:Pages:{b.Page.PageId}:AccessToken", b.Page.AccessToken));
        await using var a = await GatewayProcess.StartAsync(new Dictionary<string, string?>(GatewayProcess.Environment(settings)) { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        var page = b.Page.PageId;
        var (_, person) = b.Person();
        var authorization = new { Authorization = "Bearer " + b.Page.AccessToken };
        const string resumable = "subscription($page: ID!, $after: String) { messageReceived(pageId: $page, after: $after) { metaId } }";
        await using var onB = await GraphQLWsClient.ConnectAndInitAsync(b, authorization);
        await onB.SubscribeAsync("1", resumable, new { page });
        await b.WaitForSubscriptionsAsync(1);
        await Post(b.Client, "m_1", 1);
        var first = (await onB.ReceiveResultAsync("1")).At("extensions.eventId")!.GetValue<string>();

        // On A, resuming after m_1 (so the subscription cannot miss m_2, whenever A registers it); m_2 is posted to A.
        await using var onA = await GraphQLWsClient.ConnectAndInitAsync(a.Address, authorization);
        await onA.SubscribeAsync("1", resumable, new { page, after = first });
        await Post(a.Http, "m_2", 2);
        var seenOnA = await onA.ReceiveResultAsync("1");
        await onB.ReceiveResultAsync("1");
        await a.DisposeAsync();
        var connectionEnded = await EndedAsync(onA);
        await Post(b.Client, "m_3", 3);
        await Post(b.Client, "m_4", 4);
        var inboxOnB = await b.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = page });
        await using var resumedOnB = await GraphQLWsClient.ConnectAndInitAsync(b, authorization);
        await resumedOnB.SubscribeAsync("1", resumable, new { page, after = seenOnA.At("extensions.eventId")!.GetValue<string>() });
        var missed = new[] { await resumedOnB.ReceiveDataAsync("1"), await resumedOnB.ReceiveDataAsync("1") };
        await Post(b.Client, "m_5", 5);
        var live = await resumedOnB.ReceiveDataAsync("1");
        var stayedOnB = new List<JsonNode>();
        for (var i = 0; i < 3; i++)
        {
            stayedOnB.Add(await onB.ReceiveDataAsync("1"));
        }

        // An instance started after all of it (A's replacement) has only Redis to learn the history from.
        await using var replacement = await Instance(emulator, redis);
        await using var resumedOnReplacement = await GraphQLWsClient.ConnectAndInitAsync(replacement, authorization);
        await resumedOnReplacement.SubscribeAsync("1", resumable, new { page, after = seenOnA.At("extensions.eventId")!.GetValue<string>() });
        var fromRedis = new List<JsonNode>();
        for (var i = 0; i < 3; i++)
        {
            fromRedis.Add(await resumedOnReplacement.ReceiveDataAsync("1"));
        }

        Assert.Equal("m_2", seenOnA.At("data.messageReceived.metaId")!.GetValue<string>());
        Assert.True(connectionEnded);
        Assert.Null(inboxOnB["errors"]);
        Assert.Equal(["m_3", "m_4", "m_5"], missed.Append(live).Select(data => data.At("messageReceived.metaId")!.GetValue<string>()));
        Assert.Equal(["m_3", "m_4", "m_5"], stayedOnB.Select(data => data.At("messageReceived.metaId")!.GetValue<string>()));
        Assert.Equal(["m_3", "m_4", "m_5"], fromRedis.Select(data => data.At("messageReceived.metaId")!.GetValue<string>()));

        async Task Post(HttpClient gateway, string mid, int second)
        {
            using var response = await gateway.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, mid, mid, 1_700_000_000_000 + second * 1_000L)));
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Whether the server's side of the connection is gone (a close frame, or the socket cut by a killed process).</summary>
    private static async Task<bool> EndedAsync(GraphQLWsClient client)
    {
        try
        {
            return await client.ReceiveAsync() is null;
        }
        catch (WebSocketException)
        {
            return true;
        }
    }

    /// <summary>Redis is not up yet when an instance starts (a deploy, a busy machine): it starts and serves anyway, and joins
    /// the others' events once Redis answers.</summary>
    [Fact]
    public async Task An_instance_started_before_redis_answers_serves_and_joins_the_events_once_it_does()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        await redis.StopAsync();
        await using var early = await Instance(emulator, redis, redisAnswers: false);
        var page = early.Page.PageId;
        var (_, person) = early.Person();
        var inbox = await early.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = page });
        var readyAlone = await early.Client.GetStringAsync("/health/ready");

        await redis.StartAgainAsync();
        await using var later = await Instance(emulator, redis);
        await using var subscriber = await GraphQLWsClient.ConnectAndInitAsync(early, new { Authorization = "Bearer " + early.Page.AccessToken });
        await subscriber.SubscribeAsync("1", Subscription, new { page });
        await early.WaitForSubscriptionsAsync(1);
        await early.WaitUntilListeningToOtherInstancesAsync();
        (await later.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_via_later", "Posted to the later one", 1_700_000_000_000))))
            .EnsureSuccessStatusCode();
        var heard = await subscriber.ReceiveDataAsync("1");

        Assert.Null(inbox["errors"]);
        Assert.Equal("Degraded", readyAlone);
        Assert.Equal("m_via_later", heard.At("messageReceived.metaId")!.GetValue<string>());
    }

    private static Task<GatewayHost> Instance(EmulatorServer emulator, RedisServer redis, bool redisAnswers = true)
        => GatewayHost.StartAsync(settings: MetaWebhooks.Settings(("ConnectionStrings:Redis", redis.ConnectionString)), configurePages: true,
            sharedEmulator: emulator, redisAnswers: redisAnswers);
}
