using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;
using Xunit.Abstractions;

namespace Gateway.Tests.Reliability;

public sealed class ChaosTests(ITestOutputHelper output)
{
    /// <summary>With 10% of Graph calls failing transiently and 50–500 ms of latency jitter, 2,000 operations at
    /// concurrency 64: every response is a GraphQL answer (no 5xx, none hung), every failed branch carries a code, and
    /// every branch that succeeded equals the fault-free answer.</summary>
    [Fact]
    public async Task Transient_faults_never_become_500s_or_wrong_data()
    {
        // Page tokens configured on the server (managed mode): the requests below carry none.
        await using var host = await GatewayHost.StartAsync(new EmulatorOptions { FaultRate = 0 }, configurePages: true);
        var variables = new { pageId = host.Page.PageId, conversations = 5, messages = 5 };
        var expected = (await host.QueryAsync(GatewayHost.Operation("inbox"), variables))["data"]!.ToJsonString();
        host.Emulator.Configure(new EmulatorRuntimeConfig(FaultRate: 0.1, LatencyMs: 50, LatencyJitterMs: 450));

        using var throttle = new SemaphoreSlim(64);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2000).Select(async _ =>
        {
            await throttle.WaitAsync();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                using var response = await host.Client.PostAsJsonAsync("/graphql", new { query = GatewayHost.Operation("inbox"), variables }, timeout.Token);
                return (response.StatusCode, Body: JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token))!);
            }
            finally
            {
                throttle.Release();
            }
        }));

        Assert.All(outcomes, outcome => Assert.Equal(HttpStatusCode.OK, outcome.StatusCode));
        var failed = outcomes.Where(o => o.Body["errors"] is not null).ToList();
        Assert.All(failed.SelectMany(o => o.Body["errors"]!.AsArray()), error => Assert.Equal("UPSTREAM_UNAVAILABLE", error.At("extensions.code")!.GetValue<string>()));
        var succeeded = outcomes.Where(o => o.Body["errors"] is null).ToList();
        Assert.All(succeeded, o => Assert.Equal(expected, o.Body["data"]!.ToJsonString()));
        output.WriteLine($"{outcomes.Length} operations: {succeeded.Count} complete, {failed.Count} with a failed branch; " +
            $"{host.UpstreamCalls.Count} Graph calls including retries.");
        Assert.True(succeeded.Count > outcomes.Length * 0.9, $"Retries should absorb most transient faults; {succeeded.Count} of {outcomes.Length} succeeded.");
    }
}
