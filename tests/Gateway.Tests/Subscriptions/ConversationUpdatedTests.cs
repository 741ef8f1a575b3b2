using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;

namespace Gateway.Tests.Subscriptions;

/// <summary><c>conversationUpdated</c> describes each conversation as of its event: never with a Graph answer from before
/// the event, never with today's state in a replay, and with forwarded tokens too.</summary>
public sealed class ConversationUpdatedTests
{
    private const string Updated = "subscription($page: ID!, $after: String) { conversationUpdated(pageId: $page, after: $after) { metaId snippet unreadCount } }";

    /// <summary>A new person writes and the Page answers at once (an auto-reply). Graph answers slower than a reader waits
    /// for a refresh (Gateway:Cache:RefreshWait), so the reply's event was given the answer cached for the person's
    /// message: the person's snippet and an unread count of 1.</summary>
    [Fact]
    public async Task The_event_of_an_immediate_reply_to_a_new_person_shows_the_reply_not_the_answer_cached_before_it()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        await host.ConnectEmulatorWebhooksAsync();
        host.Emulator.Configure(new EmulatorRuntimeConfig(LatencyMs: 600));
        await using var subscriber = await host.SubscribeAsync(Updated, new { page = host.Page.PageId });

        var written = await host.MakePersonWriteAsync(new { pageId = host.Page.PageId, platform = "messenger", userId = "5550000000000901", text = "Do you ship to Porto?" });
        var asked = (await subscriber.ReceiveDataAsync("1"))["conversationUpdated"]!;
        await host.MakePersonWriteAsync(new { pageId = host.Page.PageId, platform = "messenger", conversationId = written["conversationId"]!.GetValue<string>(), fromPage = true, text = "Thanks! We will answer shortly." });
        var answered = (await subscriber.ReceiveDataAsync("1"))["conversationUpdated"]!;

        Assert.Equal("Do you ship to Porto?", asked["snippet"]!.GetValue<string>());
        Assert.Equal(1, asked["unreadCount"]!.GetValue<int>());
        Assert.Equal("Thanks! We will answer shortly.", answered["snippet"]!.GetValue<string>());
        Assert.Equal(0, answered["unreadCount"]!.GetValue<int>());
    }

    /// <summary>No Page token on the server: the subscriber's forwarded token, which proved access to the Page, finds a new
    /// person's conversation.</summary>
    [Fact]
    public async Task With_forwarded_tokens_only_a_new_persons_message_and_its_reply_are_both_delivered()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings());
        await host.ConnectEmulatorWebhooksAsync();
        await using var subscriber = await host.SubscribeAsync(Updated, new { page = host.Page.PageId });

        var written = await host.MakePersonWriteAsync(new { pageId = host.Page.PageId, platform = "messenger", userId = "5550000000000902", text = "Hello?" });
        var asked = (await subscriber.ReceiveDataAsync("1"))["conversationUpdated"]!;
        await host.MakePersonWriteAsync(new { pageId = host.Page.PageId, platform = "messenger", conversationId = written["conversationId"]!.GetValue<string>(), fromPage = true, text = "Hi there" });
        var answered = (await subscriber.ReceiveDataAsync("1"))["conversationUpdated"]!;

        Assert.Equal(written["conversationId"]!.GetValue<string>(), asked["metaId"]!.GetValue<string>());
        Assert.Equal("Hello?", asked["snippet"]!.GetValue<string>());
        Assert.Equal("Hi there", answered["snippet"]!.GetValue<string>());
    }

    /// <summary>A subscriber resuming after an event gets the events it missed as they were: their snippets, and no count
    /// read today (null), rather than today's state under yesterday's event.</summary>
    [Fact]
    public async Task A_resumed_subscriber_gets_replayed_events_as_of_each_event_without_todays_state()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        await host.ConnectEmulatorWebhooksAsync();
        var page = host.Page.PageId;
        var (conversationId, personId) = host.Person(conversationIndex: 2);
        await using var live = await host.SubscribeAsync(Updated, new { page });
        await host.MakePersonWriteAsync(new { pageId = page, platform = "messenger", userId = personId, text = "first" });
        var first = await live.ReceiveResultAsync("1");
        await host.MakePersonWriteAsync(new { pageId = page, platform = "messenger", userId = personId, text = "second" });
        await live.ReceiveResultAsync("1");
        await host.MakePersonWriteAsync(new { pageId = page, platform = "messenger", userId = personId, text = "third" });
        await live.ReceiveResultAsync("1");

        await using var resumed = await GraphQLWsClient.ConnectAndInitAsync(host, new { Authorization = "Bearer " + host.Page.AccessToken });
        await resumed.SubscribeAsync("1", Updated, new { page, after = first.At("extensions.eventId")!.GetValue<string>() });
        var replayed = new[] { (await resumed.ReceiveDataAsync("1"))["conversationUpdated"]!, (await resumed.ReceiveDataAsync("1"))["conversationUpdated"]! };

        Assert.All(replayed, e => Assert.Equal(conversationId, e["metaId"]!.GetValue<string>()));
        Assert.Equal(["second", "third"], replayed.Select(e => e["snippet"]!.GetValue<string>()));
        Assert.All(replayed, e => Assert.Null(e["unreadCount"]));
    }
}
