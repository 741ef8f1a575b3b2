using System.Net.Http.Json;
using Gateway.DataLoading;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;

namespace Gateway.Tests.Http;

public sealed class CancellationTests
{
    /// <summary>When the client goes away, the operation stops: its in-flight Graph call is abandoned (the emulator sees the
    /// gateway hang up) and the calls that would have followed it are never made. (Without push-down this query needs two
    /// calls in sequence.)</summary>
    [Fact]
    public async Task A_client_that_goes_away_stops_the_upstream_work()
    {
        await using var host = await GatewayHost.StartAsync(new EmulatorOptions { LatencyMs = 1500 }, ExecutionMode.Batched, configurePages: true);
        using var client = new HttpClient { BaseAddress = host.Client.BaseAddress };
        using var leaving = new CancellationTokenSource();
        var request = client.PostAsJsonAsync("/graphql", new
        {
            query = $$"""{ page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 3) { nodes { id messages(first: 2) { nodes { id } } } } } }""",
        }, leaving.Token);

        // Wait for the first Graph call to reach the emulator, then leave.
        await Eventually.TrueAsync(() => host.UpstreamCalls.Count > 0, TimeSpan.FromSeconds(10), "the first Graph call");
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        // The gateway hangs up on the emulator (which counts it) before the 1.5 s answer: no answer, so no messages call.
        await Eventually.TrueAsync(() => host.Emulator.AbandonedRequests > 0, TimeSpan.FromSeconds(10), "the gateway to hang up on the emulator");
        Assert.Single(host.UpstreamCalls);
        Assert.True((await host.Client.GetAsync("/health/live")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Clients_hanging_up_mid_body_write_no_error_log()
    {
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Logging:LogLevel:Gateway.Http.ClientDisconnects"] = "Debug" });

        for (var i = 0; i < 5; i++)
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, host.Client.BaseAddress!.Port);
            await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(
                "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"query\":\"{ __typename"));
            socket.Close();
        }

        await Eventually.TrueAsync(() => host.Logs.Lines.Count(line => line.Contains("hung up") || line.StartsWith("Error") || line.StartsWith("Critical")) >= 5,
            TimeSpan.FromSeconds(30), "the five requests to end");
        Assert.DoesNotContain(host.Logs.Lines, line => line.StartsWith("Error") || line.StartsWith("Critical"));
        Assert.True((await host.Client.GetAsync("/health/live")).IsSuccessStatusCode);
    }
}
