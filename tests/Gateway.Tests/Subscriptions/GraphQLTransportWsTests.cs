using System.Net.WebSockets;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Subscriptions;

/// <summary>The <c>graphql-transport-ws</c> protocol message by message, over a real WebSocket.</summary>
public sealed class GraphQLTransportWsTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    private const string Subscription = "subscription($page: ID!) { messageReceived(pageId: $page) { metaId } }";

    [Fact]
    public async Task A_connection_without_connection_init_is_closed_with_4408()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(("GraphQL:Subscriptions:ConnectionInitTimeout", "00:00:00.300")));
        await using var client = await GraphQLWsClient.ConnectAsync(host);

        Assert.Equal(4408, await client.ReceiveCloseAsync());
        Assert.Equal("Connection initialisation timeout", client.CloseReason);
    }

    [Fact]
    public async Task A_second_connection_init_is_closed_with_4429()
    {
        var host = await hosts.ForTestAsync();
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(host);

        await client.SendAsync(new { type = "connection_init" });

        Assert.Equal(4429, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Subscribing_before_the_acknowledgement_is_closed_with_4401()
    {
        var host = await hosts.ForTestAsync();
        await using var client = await GraphQLWsClient.ConnectAsync(host);

        await client.SubscribeAsync("1", Subscription, new { page = host.Page.PageId });

        Assert.Equal(4401, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_second_subscribe_with_an_active_id_is_closed_with_4409()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true);
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(host);

        await client.SubscribeAsync("same", Subscription, new { page = host.Page.PageId });
        await client.SubscribeAsync("same", Subscription, new { page = host.Page.PageId });

        Assert.Equal(4409, await client.ReceiveCloseAsync());
        Assert.Equal("Subscriber for same already exists", client.CloseReason);
        // Closing released what the connection held.
        await host.WaitForSubscriptionsAsync(0);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"type":"next","id":"1","payload":{}}""")]
    [InlineData("""{"id":"1"}""")]
    [InlineData("""{"type":"subscribe","id":"","payload":{"query":"subscription { __typename }"}}""")]
    [InlineData("""{"type":"subscribe","id":"1","payload":{"query":"{ __typename }","variables":[1]}}""")]
    public async Task An_invalid_message_is_closed_with_4400(string message)
    {
        var host = await hosts.ForTestAsync();
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(host);

        await client.SendTextAsync(message);

        Assert.Equal(4400, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_connection_without_the_graphql_transport_ws_subprotocol_is_closed_with_4406()
    {
        var host = await hosts.ForTestAsync();
        await using var client = await GraphQLWsClient.ConnectAsync(host, subProtocol: null);

        Assert.Equal(4406, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Subscriptions_past_the_per_connection_limit_are_refused_with_an_error_and_the_connection_stays_open()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true,
            settings: new Dictionary<string, string?> { ["GraphQL:Subscriptions:MaxOperationsPerConnection"] = "3" });
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(host);
        foreach (var id in (string[])["1", "2", "3"])
        {
            await client.SubscribeAsync(id, Subscription, new { page = host.Page.PageId });
        }
        await host.WaitForSubscriptionsAsync(3);

        await client.SubscribeAsync("4", Subscription, new { page = host.Page.PageId });
        var refused = await client.ReceiveAsync();
        await client.SendAsync(new { id = "1", type = "complete" });
        await host.WaitForSubscriptionsAsync(2);
        await client.SubscribeAsync("5", Subscription, new { page = host.Page.PageId });
        await host.WaitForSubscriptionsAsync(3);

        Assert.Equal("error", refused!["type"]!.GetValue<string>());
        Assert.Equal("4", refused["id"]!.GetValue<string>());
        Assert.Equal("TOO_MANY_SUBSCRIPTIONS", refused.At("payload.0.extensions.code")!.GetValue<string>());
    }

    [Fact]
    public async Task A_client_offering_an_unsupported_subprotocol_and_hanging_up_at_once_writes_no_error_log()
    {
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Logging:LogLevel:Gateway.Http.ClientDisconnects"] = "Debug" });

        for (var i = 0; i < 5; i++)
        {
            using var legacy = new ClientWebSocket();
            legacy.Options.AddSubProtocol("graphql-ws");
            await legacy.ConnectAsync(new UriBuilder(new Uri(host.Client.BaseAddress!, "/graphql")) { Scheme = "ws" }.Uri, CancellationToken.None);
            legacy.Abort();
        }

        await Eventually.TrueAsync(() => host.Logs.Lines.Count(line => line.Contains("hung up") || line.StartsWith("Error") || line.StartsWith("Critical")) >= 5,
            TimeSpan.FromSeconds(30), "the five requests to end");
        Assert.DoesNotContain(host.Logs.Lines, line => line.StartsWith("Error") || line.StartsWith("Critical"));
    }

    [Fact]
    public async Task Ping_is_answered_with_pong_and_queries_with_next_then_complete()
    {
        var host = await hosts.ForTestAsync();
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(host);

        await client.SendAsync(new { type = "ping" });
        var pong = await client.ReceiveAsync();
        await client.SubscribeAsync("q", "{ __typename }");
        var next = await client.ReceiveAsync();
        var complete = await client.ReceiveAsync();

        Assert.Equal("pong", pong!["type"]!.GetValue<string>());
        Assert.Equal("""{"id":"q","type":"next","payload":{"data":{"__typename":"Query"}}}""", next!.Compact());
        Assert.Equal("""{"id":"q","type":"complete"}""", complete!.Compact());
    }

    [Fact]
    public async Task The_path_with_a_trailing_slash_where_banana_cake_pop_lives_speaks_the_protocol_too()
    {
        var host = await hosts.ForTestAsync();
        await using var client = await GraphQLWsClient.ConnectAsync(host, path: "/graphql/");

        await client.SendAsync(new { type = "connection_init" });

        Assert.Equal("connection_ack", (await client.ReceiveAsync())!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Banana_cake_pops_probe_offering_both_websocket_protocols_is_given_graphql_transport_ws_and_closes_cleanly()
    {
        // In its Auto mode the IDE opens a socket offering both protocols, reads the one chosen, closes the socket at once
        // (it sends nothing) and subscribes over a second socket in that protocol; the legacy one would fail here.
        await using var host = await GatewayHost.StartAsync();
        using var probe = new ClientWebSocket();
        probe.Options.AddSubProtocol("graphql-transport-ws");
        probe.Options.AddSubProtocol("graphql-ws");
        await probe.ConnectAsync(new UriBuilder(new Uri(host.Client.BaseAddress!, "/graphql/")) { Scheme = "ws" }.Uri, CancellationToken.None);
        var chosen = probe.SubProtocol;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await probe.CloseAsync(WebSocketCloseStatus.NormalClosure, null, patience.Token);

        Assert.Equal("graphql-transport-ws", chosen);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, probe.CloseStatus);
    }

    [Fact]
    public async Task A_subscription_over_plain_http_is_refused_with_the_transports_to_use()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true);

        var result = await host.QueryAsync(Subscription, new { page = host.Page.PageId });

        Assert.Contains("text/event-stream", result.At("errors.0.message")!.GetValue<string>());
        Assert.Equal(0, host.Services.GetRequiredService<Gateway.Inbox.InboxEventHub>().SubscriptionCount);
    }

    [Fact]
    public async Task An_invalid_document_is_answered_with_an_error_message()
    {
        var host = await hosts.ForTestAsync();
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(host);

        await client.SubscribeAsync("bad", "subscription { noSuchField }");
        var error = await client.ReceiveAsync();

        Assert.Equal("error", error!["type"]!.GetValue<string>());
        Assert.Equal("bad", error["id"]!.GetValue<string>());
        Assert.Contains("noSuchField", error["payload"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Complete_from_the_client_ends_the_subscription()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true);
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(host);
        await client.SubscribeAsync("1", Subscription, new { page = host.Page.PageId });
        await host.WaitForSubscriptionsAsync(1);

        await client.SendAsync(new { id = "1", type = "complete" });

        await host.WaitForSubscriptionsAsync(0);
    }

    [Fact]
    public async Task A_dropped_connection_releases_its_subscriptions()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true);
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(host);
        await client.SubscribeAsync("1", Subscription, new { page = host.Page.PageId });
        await client.SubscribeAsync("2", "subscription($page: ID!) { messageEvents(pageId: $page) { kind } }", new { page = host.Page.PageId });
        await host.WaitForSubscriptionsAsync(2);

        client.Abort();

        await host.WaitForSubscriptionsAsync(0);
    }
}
