using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Telemetry;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Gateway.Tests.Subscriptions;

/// <summary>Identical subscriptions with the same credentials share one execution: every subscriber gets every event, each
/// event is resolved once for all of them, a subscriber that leaves releases only itself, and different credentials never
/// share.</summary>
public sealed class SharedSubscriptionTests
{
    private const string Query = "subscription($page: ID!) { messageReceived(pageId: $page) { metaId message } }";
    private const string ApiKey = "crm-key-0123456789abcdef";
    private const string OtherApiKey = "helpdesk-key-0123456789abcdef";

    [Fact]
    public async Task Identical_subscriptions_with_the_same_credentials_each_receive_every_event_resolved_once()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings());
        var page = host.Page;
        var (_, person) = host.Person();
        var credentials = new { Authorization = "Bearer " + page.AccessToken };
        await using var first = await GraphQLWsClient.ConnectAndInitAsync(host, credentials);
        await using var second = await GraphQLWsClient.ConnectAndInitAsync(host, credentials);
        await first.SubscribeAsync("1", Query, new { page = page.PageId });
        await second.SubscribeAsync("2", Query, new { page = page.PageId });
        using var overSse = await OpenSseAsync(host, page.PageId, "Bearer " + page.AccessToken);
        using var sse = new StreamReader(await overSse.Content.ReadAsStreamAsync());
        await host.WaitForSubscriptionsAsync(3);
        using var resolved = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), GatewayMetrics.MeterName, "gateway.subscriptions.events_resolved");

        for (var i = 1; i <= 2; i++)
        {
            using var response = await host.PostWebhookAsync(MetaWebhooks.Delivery(page.PageId, MetaWebhooks.Message(page.PageId, person, $"m_shared_{i}", "hi", 1_700_000_000_000 + i)));
            var expected = $$$$"""{"messageReceived":{"metaId":"m_shared_{{{{i}}}}","message":"hi"}}""";
            var viaFirst = (await first.ReceiveAsync())!["payload"]!;
            var viaSecond = (await second.ReceiveAsync())!["payload"]!;
            Assert.Equal(expected, viaFirst["data"]!.Compact());
            Assert.Equal(viaFirst.Compact(), viaSecond.Compact());
            Assert.Equal("id: " + viaFirst.At("extensions.eventId")!.GetValue<string>(), await sse.ReadLineAsync());
            Assert.Equal("event: next", await sse.ReadLineAsync());
            Assert.Equal("data: " + viaFirst.Compact(), await sse.ReadLineAsync());
            Assert.Equal("", await sse.ReadLineAsync());
        }

        Assert.Equal(2, resolved.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Theory]
    [InlineData("a Page token and the server-side token")]
    [InlineData("two API keys for the same Page")]
    public async Task Identical_subscriptions_with_different_credentials_are_resolved_apart(string credentials)
    {
        var managed = credentials.Contains("API keys", StringComparison.Ordinal);
        await using var host = await GatewayHost.StartAsync(configurePages: true, settings: managed
            ? MetaWebhooks.Settings(("Gateway:Auth:Required", "true"),
                ("Gateway:Auth:ApiKeys:crm:Key", ApiKey), ("Gateway:Auth:ApiKeys:crm:Pages:0", "104000000000001"),
                ("Gateway:Auth:ApiKeys:helpdesk:Key", OtherApiKey), ("Gateway:Auth:ApiKeys:helpdesk:Pages:0", "104000000000001"))
            : MetaWebhooks.Settings());
        var page = host.Page.PageId;
        var (_, person) = host.Person();
        await using var first = await GraphQLWsClient.ConnectAndInitAsync(host, managed
            ? new Dictionary<string, string> { ["X-Api-Key"] = ApiKey }
            : new Dictionary<string, string> { ["Authorization"] = "Bearer " + host.Page.AccessToken });
        await using var second = await GraphQLWsClient.ConnectAndInitAsync(host, managed ? new Dictionary<string, string> { ["X-Api-Key"] = OtherApiKey } : null);
        await first.SubscribeAsync("1", Query, new { page });
        await second.SubscribeAsync("1", Query, new { page });
        await host.WaitForSubscriptionsAsync(2);
        using var resolved = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), GatewayMetrics.MeterName, "gateway.subscriptions.events_resolved");

        using var response = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_apart", "hi", 1_700_000_000_000)));

        Assert.Equal("m_apart", (await first.ReceiveDataAsync("1")).At("messageReceived.metaId")!.GetValue<string>());
        Assert.Equal("m_apart", (await second.ReceiveDataAsync("1")).At("messageReceived.metaId")!.GetValue<string>());
        Assert.Equal(2, resolved.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Theory]
    [InlineData("completes")]
    [InlineData("drops its connection")]
    public async Task When_the_first_of_two_shared_subscribers_leaves_the_other_keeps_receiving(string leaving)
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        var page = host.Page.PageId;
        var (_, person) = host.Person();
        await using var first = await GraphQLWsClient.ConnectAndInitAsync(host);
        await using var second = await GraphQLWsClient.ConnectAndInitAsync(host);
        await first.SubscribeAsync("1", Query, new { page });
        await host.WaitForSubscriptionsAsync(1);
        await second.SubscribeAsync("2", Query, new { page });
        await host.WaitForSubscriptionsAsync(2);

        if (leaving == "completes")
        {
            await first.SendAsync(new { id = "1", type = "complete" });
        }
        else
        {
            first.Abort();
        }
        await host.WaitForSubscriptionsAsync(1);
        using (await host.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_after_leaving", "hi", 1_700_000_000_000))))
        {
            Assert.Equal("m_after_leaving", (await second.ReceiveDataAsync("2")).At("messageReceived.metaId")!.GetValue<string>());
        }
        if (leaving == "completes")
        {
            // Nothing more reached the subscriber that completed: its next message answers a ping sent after the event.
            await first.SendAsync(new { type = "ping" });
            Assert.Equal("pong", (await first.ReceiveAsync())!["type"]!.GetValue<string>());
        }

        // The last one leaving releases the stream; the next identical subscription starts one anew.
        await second.SendAsync(new { id = "2", type = "complete" });
        await host.WaitForSubscriptionsAsync(0);
        await second.SubscribeAsync("3", Query, new { page });
        await host.WaitForSubscriptionsAsync(1);
        using (await host.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_anew", "hi", 1_700_000_001_000))))
        {
            Assert.Equal("m_anew", (await second.ReceiveDataAsync("3")).At("messageReceived.metaId")!.GetValue<string>());
        }
    }

    private static async Task<HttpResponseMessage> OpenSseAsync(GatewayHost host, string page, string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { query = Query, variables = new { page } }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
