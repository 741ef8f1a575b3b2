using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Subscriptions;

/// <summary>End to end: the emulator makes a person write and delivers Meta's signed webhook to the gateway, which
/// hands the message to its subscribers.</summary>
public sealed class EmulatorWebhookTests
{
    private const string Events = "subscription($page: ID!) { messageEvents(pageId: $page) { kind messageId conversation { metaId } message { createdTime from { metaId name } message } } }";

    [Fact]
    public async Task A_message_the_emulator_makes_reaches_a_subscriber_and_a_new_person_costs_one_graph_call()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        await host.ConnectEmulatorWebhooksAsync();
        var page = host.Page.PageId;
        await using var subscriber = await GraphQLWsClient.ConnectAndInitAsync(host);
        await subscriber.SubscribeAsync("1", Events, new { page });
        await host.WaitForSubscriptionsAsync(1);
        host.Emulator.ResetRequests();

        var first = await host.MakePersonWriteAsync(new { pageId = page, platform = "messenger", userId = "5550000000000777", text = "Hello from a new person", name = "Nova Person" });
        var firstEvent = (await subscriber.ReceiveDataAsync("1"))["messageEvents"]!;
        var callsForTheFirst = host.UpstreamCalls.Count;
        var second = await host.MakePersonWriteAsync(new { pageId = page, platform = "messenger", userId = "5550000000000777", text = "And again" });
        var secondEvent = (await subscriber.ReceiveDataAsync("1"))["messageEvents"]!;

        Assert.Equal("NEW", firstEvent["kind"]!.GetValue<string>());
        Assert.Equal(first["messageId"]!.GetValue<string>(), firstEvent["messageId"]!.GetValue<string>());
        Assert.Equal(first["conversationId"]!.GetValue<string>(), firstEvent.At("conversation.metaId")!.GetValue<string>());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(first["timestamp"]!.GetValue<long>()), DateTimeOffset.Parse(firstEvent.At("message.createdTime")!.GetValue<string>()));
        Assert.Equal("5550000000000777", firstEvent.At("message.from.metaId")!.GetValue<string>());
        Assert.Equal("Nova Person", firstEvent.At("message.from.name")!.GetValue<string>());
        Assert.Equal("Hello from a new person", firstEvent.At("message.message")!.GetValue<string>());
        Assert.Equal(second["messageId"]!.GetValue<string>(), secondEvent["messageId"]!.GetValue<string>());
        // One lookup of the new person's conversation, then nothing: the person is known.
        Assert.Equal(1, callsForTheFirst);
        Assert.Contains("user_id=5550000000000777", Assert.Single(host.UpstreamCalls).Query);
    }

    [Fact]
    public async Task Duplicated_and_reordered_emulator_deliveries_reach_a_subscriber_once_and_in_order()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(("Inbox:ReorderWindow", "00:00:02")), configurePages: true);
        await host.ConnectEmulatorWebhooksAsync(new EmulatorRuntimeConfig(WebhookDuplicateRate: 1, WebhookReorder: true));
        var page = host.Page.PageId;
        var (conversation, _) = host.Person();
        await using var subscriber = await GraphQLWsClient.ConnectAndInitAsync(host);
        await subscriber.SubscribeAsync("1", "subscription($page: ID!) { messageReceived(pageId: $page) { metaId message } }", new { page });
        await host.WaitForSubscriptionsAsync(1);

        // Three messages in one change: the emulator sends them as separate POSTs, out of order, each twice.
        var written = await host.MakePersonWriteAsync(new[]
        {
            new { pageId = page, platform = "messenger", conversationId = conversation, text = "one" },
            new { pageId = page, platform = "messenger", conversationId = conversation, text = "two" },
            new { pageId = page, platform = "messenger", conversationId = conversation, text = "three" },
        });
        var received = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            received.Add((await subscriber.ReceiveDataAsync("1")).At("messageReceived.message")!.GetValue<string>());
        }
        // A fourth message proves nothing else was queued before it: no duplicate of the three.
        await host.MakePersonWriteAsync(new { pageId = page, platform = "messenger", conversationId = conversation, text = "four" });
        received.Add((await subscriber.ReceiveDataAsync("1")).At("messageReceived.message")!.GetValue<string>());

        Assert.Equal(["one", "two", "three", "four"], received);
    }

    [Fact]
    public async Task In_demo_mode_the_embedded_emulators_webhooks_reach_the_gateways_own_subscribers()
    {
        // The gateway as `dotnet run` starts it, as its own process (an in-process test host would capture the embedded
        // emulator's host instead): Development, the embedded emulator, nothing configured.
        var port = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        using var gateway = Process.Start(start)!;
        try
        {
            var output = new StringBuilder();
            string? emulator = null;
            var webhooksConnected = false;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (emulator is null || !webhooksConnected)
            {
                var line = await gateway.StandardOutput.ReadLineAsync(timeout.Token);
                Assert.True(line is not null, $"The gateway ended: {output}");
                output.AppendLine(line);
                emulator ??= Regex.Match(line, @"curl -X POST (\S+)_emulator/messages") is { Success: true } curl ? curl.Groups[1].Value : null;
                webhooksConnected |= line.Contains("The emulator delivers its webhooks to", StringComparison.Ordinal);
            }
            var address = new Uri($"http://127.0.0.1:{port}/");
            // No token: in demo mode the Pages' tokens are configured, as for queries in the IDE.
            await using var subscriber = await GraphQLWsClient.ConnectAndInitAsync(address);
            await subscriber.SubscribeAsync("1", "subscription($page: ID!) { messageReceived(pageId: $page) { metaId from { metaId } message } }", new { page = DemoPage });
            // The subscription starts asynchronously and the gateway's hub is in another process: the person writes every
            // 200 ms until the subscriber has a message.
            using var stop = new CancellationTokenSource();
            var writes = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await EmulatorLive.PostAsync(new Uri(emulator),
                        new { pageId = DemoPage, platform = "messenger", userId = "5550000000000001", text = "Hi! Is this still available?" });
                    await Task.Delay(200, stop.Token).ContinueWith(_ => { });
                }
            });
            var message = (await subscriber.ReceiveDataAsync("1"))["messageReceived"]!;
            stop.Cancel();
            await writes;
            Assert.StartsWith("m_", message["metaId"]!.GetValue<string>());
            Assert.Equal("5550000000000001", message.At("from.metaId")!.GetValue<string>());
            Assert.Equal("Hi! Is this still available?", message["message"]!.GetValue<string>());
        }
        finally
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
        }
    }

    private const string DemoPage = "104000000000001";
}
