using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Subscriptions;

/// <summary>Subscribers prove access to the Page as callers of queries do: over WebSocket in <c>connection_init</c> or the
/// upgrade request, over SSE in the <c>Authorization</c> header; in managed mode with an API key or JWT.</summary>
public sealed class SubscriptionAuthorizationTests
{
    private const string ApiKey = "crm-key-0123456789abcdef";
    private const string FirstDemoPage = "104000000000001";
    private const string Query = "subscription($page: ID!) { messageEvents(pageId: $page) { messageId } }";

    private static Task<GatewayHost> StartManagedAsync(string apiKeyPage) => GatewayHost.StartAsync(configurePages: true, settings: MetaWebhooks.Settings(
        ("Gateway:Auth:Required", "true"),
        ("Gateway:Auth:ApiKeys:crm:Key", ApiKey),
        ("Gateway:Auth:ApiKeys:crm:Pages:0", apiKeyPage)));

    [Fact]
    public async Task In_managed_mode_connection_init_without_a_valid_api_key_is_closed_with_4403()
    {
        await using var host = await StartManagedAsync(FirstDemoPage);
        await using var anonymous = await GraphQLWsClient.ConnectAsync(host);
        await using var wrongKey = await GraphQLWsClient.ConnectAsync(host);

        await anonymous.SendAsync(new { type = "connection_init" });
        await wrongKey.SendAsync(new { type = "connection_init", payload = new Dictionary<string, string> { ["x-api-key"] = "nope" } });

        Assert.Equal(4403, await anonymous.ReceiveCloseAsync());
        Assert.Equal(4403, await wrongKey.ReceiveCloseAsync());
    }

    [Fact]
    public async Task In_managed_mode_an_api_key_in_connection_init_subscribes_to_its_page_and_is_refused_another()
    {
        await using var host = await StartManagedAsync(FirstDemoPage);
        var (mine, theirs) = (host.Emulator.Seed[0].PageId, host.Emulator.Seed[1].PageId);
        var (_, person) = host.Person();
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(host, new Dictionary<string, string> { ["X-API-KEY"] = ApiKey });

        await client.SubscribeAsync("theirs", Query, new { page = theirs });
        var refused = await client.ReceiveAsync();
        await client.ReceiveAsync();
        await client.SubscribeAsync("mine", Query, new { page = mine });
        await host.WaitForSubscriptionsAsync(1);
        using var response = await host.PostWebhookAsync(MetaWebhooks.Delivery(mine, MetaWebhooks.Message(mine, person, "m_managed", "hi", 1_700_000_000_000)));

        Assert.Equal("META_PERMISSION_DENIED", refused.At("payload.errors.0.extensions.code")!.GetValue<string>());
        Assert.Equal("m_managed", (await client.ReceiveDataAsync("mine")).At("messageEvents.messageId")!.GetValue<string>());
    }

    [Fact]
    public async Task The_upgrade_requests_authorization_header_is_used_when_connection_init_has_none()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings());
        var page = host.Page.PageId;
        var (_, person) = host.Person();
        await using var client = await GraphQLWsClient.ConnectAsync(host, authorization: "Bearer " + host.Page.AccessToken);
        await client.SendAsync(new { type = "connection_init" });
        await client.ReceiveAsync();

        await client.SubscribeAsync("1", Query, new { page });
        await host.WaitForSubscriptionsAsync(1);
        using var response = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, "m_header", "hi", 1_700_000_000_000)));

        Assert.Equal("m_header", (await client.ReceiveDataAsync("1")).At("messageEvents.messageId")!.GetValue<string>());
    }

    [Fact]
    public async Task Over_sse_the_authorization_header_subscribes_and_a_wrong_token_gets_an_error_then_complete()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings());
        var (a, b) = (host.Emulator.Seed[0], host.Emulator.Seed[1]);
        var (_, person) = host.Person();
        using var refused = await OpenSseAsync(host, b.PageId, a.AccessToken);
        var refusedBody = await refused.Content.ReadAsStringAsync();
        using var accepted = await OpenSseAsync(host, a.PageId, a.AccessToken);
        using var events = new StreamReader(await accepted.Content.ReadAsStreamAsync());
        await host.WaitForSubscriptionsAsync(1);
        using var response = await host.PostWebhookAsync(MetaWebhooks.Delivery(a.PageId, MetaWebhooks.Message(a.PageId, person, "m_sse", "hi", 1_700_000_000_000)));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.StartsWith("event: next\ndata: {\"errors\":[", refusedBody);
        Assert.Contains("META_PERMISSION_DENIED", refusedBody);
        Assert.EndsWith("event: complete\ndata: \n\n", refusedBody);
        Assert.Equal("text/event-stream", accepted.Content.Headers.ContentType?.MediaType);
        var id = await events.ReadLineAsync();
        Assert.StartsWith("id: ", id);
        Assert.Equal("event: next", await events.ReadLineAsync());
        Assert.Equal($$$"""data: {"data":{"messageEvents":{"messageId":"m_sse"}},"extensions":{"eventId":"{{{id!["id: ".Length..]}}}"}}""", await events.ReadLineAsync());
        accepted.Dispose();
        await host.WaitForSubscriptionsAsync(0);
    }

    private static async Task<HttpResponseMessage> OpenSseAsync(GatewayHost host, string page, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { query = Query, variables = new { page } }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
