using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MetaGraph.Emulator;

namespace Gateway.Benchmarks;

/// <summary>
/// Steady load with faults on for several minutes against the push-down gateway process; its working set is sampled
/// throughout, to show it stays flat (no leak in loaders, caches, limiter partitions or connection pools).
/// </summary>
public static class SoakRun
{
    public static async Task<string> RunAsync(int minutes)
    {
        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorOptions { ConversationsPerPlatform = 60, LatencyMs = 20, LatencyJitterMs = 30, FaultRate = 0.1 });
        await using var gateway = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed);
        var inbox = File.ReadAllText(Path.Combine(BenchmarkRun.RepositoryRoot, "schema", "operations", "inbox.graphql"));
        var pages = emulator.Seed;
        var samples = new List<(TimeSpan At, double Megabytes)>();
        var outcomes = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromMinutes(minutes);
        var sampling = Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                lock (samples)
                {
                    samples.Add((clock.Elapsed, gateway.WorkingSetMegabytes()));
                }
                await Task.Delay(TimeSpan.FromSeconds(10));
            }
        });
        await Task.WhenAll(Enumerable.Range(0, LoadGenerator.Concurrency).Select(async worker =>
        {
            var page = pages[worker % pages.Count];
            using var http = new HttpClient { BaseAddress = gateway.Address };
            http.DefaultRequestHeaders.Authorization = new("Bearer", page.AccessToken);
            while (clock.Elapsed < duration)
            {
                using var response = await http.PostAsJsonAsync("graphql", new { query = inbox, variables = new { pageId = page.PageId } });
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                var outcome = (int)response.StatusCode != 200 ? $"HTTP {(int)response.StatusCode}"
                    : body["errors"]?.AsArray()[0]?["extensions"]?["code"]?.GetValue<string>() ?? "ok";
                lock (outcomes)
                {
                    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                }
            }
        }));
        await sampling;

        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder("# Soak").AppendLine().AppendLine();
        text.AppendLine(c, $"Command: `dotnet run -c Release --project tests/Gateway.Benchmarks -- --soak --minutes {minutes}`  ");
        text.AppendLine(c, $"Push-down gateway process, inbox query, concurrency {LoadGenerator.Concurrency}, two Pages, emulator at 20–50 ms with 10% transient faults.").AppendLine();
        text.AppendLine(c, $"- Operations: {outcomes.Values.Sum()} ({string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key}: {o.Value}"))}).");
        var settled = samples.Where(s => s.At >= TimeSpan.FromSeconds(30)).ToList();
        text.AppendLine(c, $"- Working set after warm-up (30 s): {settled.First().Megabytes:F0} MB; at the end: {settled.Last().Megabytes:F0} MB; max {settled.Max(s => s.Megabytes):F0} MB; peak (VmHWM) {gateway.PeakWorkingSetMegabytes():F0} MB.");
        text.AppendLine().AppendLine("| t (s) | working set (MB) |").AppendLine("|---:|---:|");
        foreach (var (at, megabytes) in samples)
        {
            text.AppendLine(c, $"| {at.TotalSeconds:F0} | {megabytes:F0} |");
        }
        return text.ToString();
    }
}
