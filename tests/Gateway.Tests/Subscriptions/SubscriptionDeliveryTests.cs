using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Subscriptions;

/// <summary>What subscribers receive: fields from the webhook at no Graph cost, the rest through the loaders, only
/// their own Page's events, and a subscriber that stops reading never holding back the others.</summary>
public sealed class SubscriptionDeliveryTests
{
    [Fact]
    public async Task A_delivered_message_resolves_its_webhook_fields_with_zero_graph_calls()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        var page = host.Page.PageId;
        var (_, person) = host.Person();
        await using var subscriber = await GraphQLWsClient.ConnectAndInitAsync(host);
        await subscriber.SubscribeAsync("1", """
            subscription($page: ID!) { messageReceived(pageId: $page) {
              metaId createdTime detailsAvailable from { metaId name email } to { metaId name } message replyTo attachments { type url } } }
            """, new { page });
        await host.WaitForSubscriptionsAsync(1);
        // The first event of a person costs the one lookup of their conversation.
        using var warmUp = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_warm", "hi", 1_700_000_000_000)));
        await subscriber.ReceiveDataAsync("1");
        host.Emulator.ResetRequests();

        using var response = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_zero", "Zero calls", 1_700_000_060_000,
            attachments: [new { type = "video", payload = new { url = "https://cdn.example/clip.mp4" } }])));
        var message = (await subscriber.ReceiveDataAsync("1"))["messageReceived"]!;

        Assert.Empty(host.UpstreamCalls);
        Assert.Equal("m_zero", message["metaId"]!.GetValue<string>());
        Assert.Equal("2023-11-14T22:14:20.000Z", message["createdTime"]!.GetValue<string>());
        Assert.True(message["detailsAvailable"]!.GetValue<bool>());
        Assert.Equal(person, message.At("from.metaId")!.GetValue<string>());
        Assert.Equal(page, message.At("to.0.metaId")!.GetValue<string>());
        Assert.Equal("Zero calls", message["message"]!.GetValue<string>());
        Assert.Equal("VIDEO", message.At("attachments.0.type")!.GetValue<string>());
        Assert.Equal("https://cdn.example/clip.mp4", message.At("attachments.0.url")!.GetValue<string>());
    }

    [Fact]
    public async Task Fields_the_webhook_lacks_are_read_through_the_loaders()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        var page = host.Page.PageId;
        var (conversationId, person) = host.Person();
        var conversation = host.Emulator.Data.FindConversation(conversationId)!;
        await using var subscriber = await GraphQLWsClient.ConnectAndInitAsync(host);
        await subscriber.SubscribeAsync("1", "subscription($page: ID!) { conversationUpdated(pageId: $page) { metaId snippet messageCount } }", new { page });
        await host.WaitForSubscriptionsAsync(1);
        host.Emulator.ResetRequests();

        using var response = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_counted", "count me", 1_700_000_000_000)));
        var updated = (await subscriber.ReceiveDataAsync("1"))["conversationUpdated"]!;

        Assert.Equal(conversationId, updated["metaId"]!.GetValue<string>());
        Assert.Equal(conversation.MessageCount, updated["messageCount"]!.GetValue<int>());
        // The person lookup, then the conversation read for messageCount.
        Assert.Equal(2, host.UpstreamCalls.Count);
        Assert.Contains($"ids={conversationId}", Uri.UnescapeDataString(host.UpstreamCalls[1].Query));
    }

    [Fact]
    public async Task A_subscriber_of_one_page_never_sees_another_pages_events()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings());
        var (a, b) = (host.Emulator.Seed[0], host.Emulator.Seed[1]);
        var (_, personOfA) = host.Person(pageIndex: 0);
        var (_, personOfB) = host.Person(pageIndex: 1);
        const string query = "subscription($page: ID!) { messageEvents(pageId: $page) { pageId messageId } }";
        await using var subscriberOfA = await GraphQLWsClient.ConnectAndInitAsync(host, new { Authorization = "Bearer " + a.AccessToken });
        await using var subscriberOfB = await GraphQLWsClient.ConnectAndInitAsync(host, new { Authorization = "Bearer " + b.AccessToken });
        await subscriberOfA.SubscribeAsync("a", query, new { page = a.PageId });
        await subscriberOfB.SubscribeAsync("b", query, new { page = b.PageId });
        await host.WaitForSubscriptionsAsync(2);

        using var toA = await host.PostWebhookAsync(MetaWebhooks.Delivery(a.PageId, MetaWebhooks.Message(a.PageId, personOfA, "m_for_a", "a", 1_700_000_000_000)));
        using var toB = await host.PostWebhookAsync(MetaWebhooks.Delivery(b.PageId, MetaWebhooks.Message(b.PageId, personOfB, "m_for_b", "b", 1_700_000_000_000)));

        Assert.Equal("m_for_a", (await subscriberOfA.ReceiveDataAsync("a")).At("messageEvents.messageId")!.GetValue<string>());
        // B's first event is its own: A's, published before it, never reached B.
        var ofB = await subscriberOfB.ReceiveDataAsync("b");
        Assert.Equal("m_for_b", ofB.At("messageEvents.messageId")!.GetValue<string>());
        Assert.Equal(b.PageId, ofB.At("messageEvents.pageId")!.GetValue<string>());
    }

    [Theory]
    [InlineData("other page's token", "META_PERMISSION_DENIED")]
    [InlineData("unknown token", "META_TOKEN_INVALID")]
    [InlineData("no token", "META_TOKEN_MISSING")]
    public async Task Subscribing_to_a_page_without_its_token_is_refused(string presented, string code)
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings());
        var (a, b) = (host.Emulator.Seed[0], host.Emulator.Seed[1]);
        object? payload = presented switch
        {
            "other page's token" => new { Authorization = "Bearer " + a.AccessToken },
            "unknown token" => new { Authorization = "Bearer EAAnot-a-real-token" },
            _ => null,
        };
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(host, payload);

        await client.SubscribeAsync("1", "subscription($page: ID!) { messageReceived(pageId: $page) { metaId } }", new { page = b.PageId });
        var refused = await client.ReceiveAsync();
        var complete = await client.ReceiveAsync();

        Assert.Equal("next", refused!["type"]!.GetValue<string>());
        Assert.Equal(code, refused.At("payload.errors.0.extensions.code")!.GetValue<string>());
        Assert.Null(refused.At("payload.data"));
        Assert.Equal("complete", complete!["type"]!.GetValue<string>());
        Assert.Equal(0, host.Services.GetRequiredService<Gateway.Inbox.InboxEventHub>().SubscriptionCount);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(a.AccessToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_subscriber_that_stops_reading_is_disconnected_and_never_delays_the_others()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(("GraphQL:Subscriptions:OutboundBufferCapacity", "200")), configurePages: true);
        var page = host.Page.PageId;
        var (_, person) = host.Person();
        const string query = "subscription($page: ID!) { messageReceived(pageId: $page) { metaId message } }";
        await using var reader = await GraphQLWsClient.ConnectAndInitAsync(host);
        await reader.SubscribeAsync("1", query, new { page });
        using var stalled = await ConnectWithTinyReceiveBufferAsync(host);
        await stalled.SendAsync("""{"type":"connection_init"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var ack = new byte[256];
        await stalled.ReceiveAsync(ack, CancellationToken.None);
        await stalled.SendAsync(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { id = "1", type = "subscribe", payload = new { query, variables = new { page } } }),
            WebSocketMessageType.Text, true, CancellationToken.None);
        await host.WaitForSubscriptionsAsync(2);

        // The stalled client never reads again. Deliveries of 100 events (half the buffer, so a reading client keeps up) go on
        // until the gateway gives up on the stalled one; the reader gets each event.
        var text = new string('x', 4000);
        var hub = host.Services.GetRequiredService<Gateway.Inbox.InboxEventHub>();
        var sent = 0;
        for (var delivery = 0; hub.SubscriptionCount == 2; delivery++)
        {
            Assert.True(delivery < 200, "The stalled subscriber was never disconnected.");
            var events = Enumerable.Range(sent, 100).Select(i => MetaWebhooks.Message(page, person, $"m_{i}", text, 1_700_000_000_000 + i)).ToArray();
            using var response = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, events));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            for (var i = 0; i < events.Length; i++, sent++)
            {
                Assert.Equal($"m_{sent}", (await reader.ReceiveDataAsync("1")).At("messageReceived.metaId")!.GetValue<string>());
            }
        }

        Assert.Equal(1, hub.SubscriptionCount);
        Assert.Contains(host.Logs.Lines, line => line.Contains("stopped reading", StringComparison.Ordinal));
    }

    /// <summary>A WebSocket whose socket buffers only 4 KB, so a client that stops reading pushes back on the gateway soon.</summary>
    private static async Task<ClientWebSocket> ConnectWithTinyReceiveBufferAsync(GatewayHost host)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var client = new ClientWebSocket();
        client.Options.AddSubProtocol("graphql-transport-ws");
        var uri = new UriBuilder(new Uri(host.Client.BaseAddress!, "/graphql")) { Scheme = "ws" }.Uri;
        await client.ConnectAsync(uri, new HttpMessageInvoker(handler), CancellationToken.None);
        return client;
    }
}
