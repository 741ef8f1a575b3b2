using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;

namespace Gateway.Tests.Caching;

/// <summary>Meta posts a webhook to whichever instance it reaches: with Redis, the subscribers of every instance hear of
/// it, once, even when Meta redelivers it to another instance.</summary>
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

    private static Task<GatewayHost> Instance(EmulatorServer emulator, RedisServer redis)
        => GatewayHost.StartAsync(settings: MetaWebhooks.Settings(("ConnectionStrings:Redis", redis.ConnectionString)), configurePages: true,
            sharedEmulator: emulator);
}
