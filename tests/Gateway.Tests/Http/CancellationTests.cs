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
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (host.UpstreamCalls.Count == 0)
        {
            await Task.Delay(10, deadline.Token);
        }
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        // The gateway hangs up on the emulator (which counts it) before the 1.5 s answer: no answer, so no messages call.
        while (host.Emulator.AbandonedRequests == 0)
        {
            await Task.Delay(10, deadline.Token);
        }
        Assert.Single(host.UpstreamCalls);
        Assert.True((await host.Client.GetAsync("/health/live")).IsSuccessStatusCode);
    }
}
