using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MetaGraph.Emulator;

namespace Gateway.Benchmarks;

/// <summary>
/// One Page, many readers: 20 support agents reading the same Page's inbox back to back against an emulator that enforces
/// Meta's 2 calls per second per Page at 20 ms a call; on one gateway instance, then on two sharing one Redis. Then the
/// gateway's cached read against an uncached one at 0 ms upstream.
/// </summary>
public static class SharedInboxRun
{
    private const int Agents = 20;

    public static async Task<string> RunAsync(bool quick)
    {
        var duration = TimeSpan.FromSeconds(quick ? 10 : 30);
        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorOptions { LatencyMs = 20 });
        await emulator.ConfigureAsync(new EmulatorRuntimeConfig(RateLimitPerSecond: 2));
        var page = emulator.Seed[0];
        var inbox = new Operation("inbox", File.ReadAllText(Path.Combine(BenchmarkRun.RepositoryRoot, "schema", "operations", "inbox.graphql")),
            new { pageId = page.PageId, conversations = 10, messages = 10 });

        AgentsResult one;
        await using (var gateway = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed, AtMetasAllowance()))
        {
            one = await RunAgentsAsync(emulator, [gateway.Address], page.AccessToken, inbox, duration);
        }
        AgentsResult two;
        await using (var redis = await RedisProcess.StartAsync())
        {
            var shared = new Dictionary<string, string>(AtMetasAllowance()) { ["ConnectionStrings__Redis"] = redis.ConnectionString };
            await using var a = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed, shared);
            await using var b = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed, shared);
            two = await RunAgentsAsync(emulator, [a.Address, b.Address], page.AccessToken, inbox, duration);
        }

        await emulator.ConfigureAsync(new EmulatorRuntimeConfig(LatencyMs: 0, RateLimitPerSecond: 0));
        double cached, uncached;
        await using (var gateway = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed,
            new Dictionary<string, string> { ["Gateway__Cache__Enabled"] = "true" }))
        {
            cached = await ThroughputAsync(gateway, page.AccessToken, inbox, quick);
        }
        await using (var gateway = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed,
            new Dictionary<string, string> { ["Gateway__Cache__Enabled"] = "false" }))
        {
            uncached = await ThroughputAsync(gateway, page.AccessToken, inbox, quick);
        }
        return Report(quick, duration, one, two, cached, uncached);
    }

    private static Dictionary<string, string> AtMetasAllowance() => new() { ["Meta__RateLimit__CallsPerSecond"] = "2", ["Gateway__Cache__Enabled"] = "true" };

    private static async Task<AgentsResult> RunAgentsAsync(EmulatorProcess emulator, Uri[] instances, string token, Operation inbox, TimeSpan duration)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Agents });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // Steady state is measured: each instance has answered (connected to Redis, compiled its hot paths) before.
        foreach (var instance in instances)
        {
            using var warmUp = new LoadGenerator(instance, token);
            await warmUp.WarmUpAsync([inbox], TimeSpan.FromSeconds(2));
        }
        await emulator.ResetRequestsAsync();
        var latencies = new List<double>[Agents];
        var failures = new int[Agents];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Agents).Select(async agent =>
        {
            latencies[agent] = [];
            var address = new Uri(instances[agent % instances.Length], "graphql");
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(address, new ByteArrayContent(inbox.Body) { Headers = { ContentType = new("application/json") } });
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK && !body.Contains("\"errors\":", StringComparison.Ordinal))
                {
                    latencies[agent].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    failures[agent]++;
                }
            }
        }));
        var elapsed = clock.Elapsed;
        var calls = (await emulator.RequestsAsync()).Count(call => !call.Path.EndsWith("/me", StringComparison.Ordinal));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new AgentsResult(all.Length, failures.Sum(), elapsed, calls, Percentile(all, 50), Percentile(all, 99));
    }

    private static async Task<double> ThroughputAsync(GatewayProcess gateway, string token, Operation inbox, bool quick)
    {
        using var load = new LoadGenerator(gateway.Address, token);
        await load.WarmUpAsync([inbox], TimeSpan.FromSeconds(quick ? 3 : 6));
        return (await load.RunAsync(inbox, quick ? 1_000 : 4_000)).Throughput;
    }

    private static double Percentile(double[] sorted, double percentile)
        => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1)];

    private static string Report(bool quick, TimeSpan duration, AgentsResult one, AgentsResult two, double cached, double uncached)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("# One Page, many readers").AppendLine();
        text.AppendLine(c, $"Command: `dotnet run -c Release --project tests/Gateway.Benchmarks -- --shared-inbox{(quick ? " --quick" : "")}`  ");
        text.AppendLine(c, $"{Agents} agents read one Page's 10×10 inbox back to back for {duration.TotalSeconds:F0} s; the emulator enforces Meta's 2 calls per");
        text.AppendLine("second per Page at 20 ms a call; the gateway runs with its defaults (cache on, governor at 2/s). One machine (2 shared cores), one run.").AppendLine();
        text.AppendLine("| instances | successful reads/s | failed reads | Graph calls/s | p50 ms | p99 ms |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, result) in new[] { ("1", one), ("2 + Redis", two) })
        {
            text.AppendLine(c, $"| {name} | {result.Reads / result.Elapsed.TotalSeconds:F0} | {result.Failures} | {result.GraphCalls / result.Elapsed.TotalSeconds:F2} | {result.P50:F1} | {result.P99:F1} |");
        }
        text.AppendLine();
        text.AppendLine(c, $"Cached against uncached at 0 ms upstream (one instance, 16 connections): **{cached:F0}** vs {uncached:F0} inbox reads/s ({cached / uncached:F1}×).");
        return text.ToString();
    }

    private sealed record AgentsResult(int Reads, int Failures, TimeSpan Elapsed, int GraphCalls, double P50, double P99);
}
