using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Subscriptions;

/// <summary>The real client libraries (npm <c>graphql-ws</c> and <c>graphql-sse</c>) receiving a message the emulator makes a
/// person write and delivers to the gateway as Meta's signed webhook.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class SubscriptionClientTests
{
    private static readonly Dictionary<string, string> Packages = new()
    {
        ["graphql"] = "16.15.0",
        ["graphql-ws"] = "6.4.2",
        ["graphql-sse"] = "2.6.1",
        ["ws"] = "8.23.0",
    };

    private const string Subscription = "subscription($page: ID!) { messageReceived(pageId: $page, platform: MESSENGER) { metaId createdTime from { metaId name } to { metaId } message attachments { type url } } }";

    private const string GraphQLWsScript = """
        import { createClient } from 'graphql-ws';
        import WebSocket from 'ws';
        const client = createClient({
          url: process.env.WS_URL,
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          connectionParams: { Authorization: 'Bearer ' + process.env.TOKEN },
        });
        const result = await new Promise((resolve, reject) => {
          const dispose = client.subscribe(
            { query: process.env.QUERY, variables: JSON.parse(process.env.VARIABLES) },
            { next: (value) => { resolve(value); dispose(); }, error: (e) => reject(new Error(JSON.stringify(e?.reason ?? e))), complete: () => {} });
        });
        console.log(JSON.stringify(result));
        await client.dispose();
        """;

    private const string GraphQLSseScript = """
        import { createClient } from 'graphql-sse';
        const client = createClient({
          url: process.env.GRAPHQL_URL,
          retryAttempts: 0,
          headers: { Authorization: 'Bearer ' + process.env.TOKEN },
        });
        const result = await new Promise((resolve, reject) => {
          const dispose = client.subscribe(
            { query: process.env.QUERY, variables: JSON.parse(process.env.VARIABLES) },
            { next: (value) => { resolve(value); dispose(); }, error: (e) => reject(e instanceof Error ? e : new Error(JSON.stringify(e))), complete: () => {} });
        });
        console.log(JSON.stringify(result));
        client.dispose();
        """;

    [Fact]
    public async Task The_graphql_ws_client_receives_an_emulator_posted_message()
    {
        var (page, written, result) = await ReceiveOneAsync("graphql-ws.mjs", GraphQLWsScript);

        AssertTheMessage(page, written, result);
    }

    [Fact]
    public async Task The_graphql_sse_client_receives_an_emulator_posted_message()
    {
        var (page, written, result) = await ReceiveOneAsync("graphql-sse.mjs", GraphQLSseScript);

        AssertTheMessage(page, written, result);
    }

    private static void AssertTheMessage(string page, JsonNode written, JsonNode result)
    {
        Assert.Null(result["errors"]);
        var message = result.At("data.messageReceived")!;
        Assert.Equal(written["messageId"]!.GetValue<string>(), message["metaId"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(written["timestamp"]!.GetValue<long>()), DateTimeOffset.Parse(message["createdTime"]!.GetValue<string>()));
        Assert.Equal(written["userId"]!.GetValue<string>(), message.At("from.metaId")!.GetValue<string>());
        Assert.Equal(page, message.At("to.0.metaId")!.GetValue<string>());
        Assert.Equal("Olá from a client test", message["message"]!.GetValue<string>());
        Assert.Equal("IMAGE", message.At("attachments.0.type")!.GetValue<string>());
        Assert.Equal("https://cdn.example/picture.jpg", message.At("attachments.0.url")!.GetValue<string>());
    }

    private static async Task<(string Page, JsonNode Written, JsonNode Result)> ReceiveOneAsync(string scriptName, string script)
    {
        var folder = await NodeTools.InstallAsync(Packages);
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        await host.ConnectEmulatorWebhooksAsync();
        var page = host.Page.PageId;
        var (_, person) = host.Person();
        var graphql = new Uri(host.Client.BaseAddress!, "/graphql");
        var client = NodeTools.RunScriptAsync(folder, scriptName, script, new Dictionary<string, string>
        {
            ["WS_URL"] = new UriBuilder(graphql) { Scheme = "ws" }.Uri.ToString(),
            ["GRAPHQL_URL"] = graphql.ToString(),
            ["TOKEN"] = host.Page.AccessToken,
            ["QUERY"] = Subscription,
            ["VARIABLES"] = $$"""{"page":"{{page}}"}""",
        }, TimeSpan.FromMinutes(1));

        var subscribed = host.WaitForSubscriptionsAsync(1);
        await Task.WhenAny(subscribed, client);
        Assert.False(client.IsCompleted, $"The client ended before subscribing: {(client.IsCompletedSuccessfully ? client.Result.Output : client.Exception?.Message)}");
        await subscribed;
        var written = await host.MakePersonWriteAsync(new
        {
            pageId = page, platform = "messenger", userId = person, text = "Olá from a client test",
            attachments = new[] { new { type = "image", url = "https://cdn.example/picture.jpg" } },
        });
        var (exitCode, output) = await client;

        Assert.True(exitCode == 0, output);
        var result = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        // The client unsubscribed: the gateway released the subscription.
        await host.WaitForSubscriptionsAsync(0);
        return (page, written, result);
    }
}
