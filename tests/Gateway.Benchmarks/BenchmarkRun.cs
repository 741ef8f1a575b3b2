using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MetaGraph.Emulator;

namespace Gateway.Benchmarks;

/// <summary>
/// One run: the emulator at a fixed latency, the gateway in its three modes side by side, the same operations against
/// each. Figures are medians, percentiles and ratios from one run; absolute times on a shared machine mean little alone.
/// </summary>
public static class BenchmarkRun
{
    private const int Concurrency = 16;
    private static readonly string[] Modes = ["Naive", "Batched", "PushDown"];

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static async Task<string> RunAsync(bool quick, int latencyMs)
    {
        var requests = quick ? 64 : 400;
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { ConversationsPerPlatform = 60, LatencyMs = latencyMs });
        var page = emulator.Seed[0];
        var operations = await OperationsAsync(emulator);
        var results = new List<Row>();
        var peaks = new Dictionary<string, double>();
        foreach (var mode in Modes)
        {
            await using var gateway = await GatewayProcess.StartAsync(mode, emulator);
            using var http = Client(gateway.Address, page.AccessToken);
            foreach (var operation in operations)
            {
                emulator.ResetRequests();
                var answer = await PostAsync(http, operation);
                var calls = emulator.Requests.Count;
                var (latencies, elapsed) = await LoadAsync(() => PostAsync(http, operation), requests);
                results.Add(new Row(mode, operation.Name, calls, answer, latencies, requests / elapsed.TotalSeconds));
            }
            peaks[mode] = gateway.PeakWorkingSetMegabytes();
        }

        // The floor: the one Graph call push-down makes for the inbox, straight to the emulator.
        emulator.ResetRequests();
        await using (var gateway = await GatewayProcess.StartAsync("PushDown", emulator))
        {
            using var http = Client(gateway.Address, page.AccessToken);
            await PostAsync(http, operations[0]);
        }
        var inboxCall = emulator.Requests[0];
        using var direct = Client(emulator.BaseAddress, token: null);
        var directUrl = inboxCall.Path.TrimStart('/') + inboxCall.Query.Replace("access_token=***", "access_token=" + Uri.EscapeDataString(page.AccessToken));
        var (emulatorLatencies, _) = await LoadAsync(async () => (await direct.GetAsync(directUrl)).EnsureSuccessStatusCode(), requests);

        // Throughput with a 0 ms upstream: what the gateway itself costs.
        emulator.Configure(new EmulatorRuntimeConfig(LatencyMs: 0));
        double zeroLatencyThroughput;
        double zeroLatencyP50;
        await using (var gateway = await GatewayProcess.StartAsync("PushDown", emulator))
        {
            using var http = Client(gateway.Address, page.AccessToken);
            await LoadAsync(() => PostAsync(http, operations[0]), requests);
            var (latencies, elapsed) = await LoadAsync(() => PostAsync(http, operations[0]), requests * 5);
            zeroLatencyThroughput = requests * 5 / elapsed.TotalSeconds;
            zeroLatencyP50 = Percentile(latencies, 50);
        }

        return Report(quick, latencyMs, requests, results, peaks, Percentile(emulatorLatencies, 50), zeroLatencyThroughput, zeroLatencyP50);
    }

    private static async Task<List<Operation>> OperationsAsync(EmulatorServer emulator)
    {
        var page = emulator.Seed[0];
        var inboxData = emulator.Data.Pages[0].Conversations.Where(c => c.Folder == "inbox").ToList();
        var conversation = inboxData.First(c => c.Messages.Count > 25);
        var user = conversation.Participants.First(p => p.Id != page.PageId && p.Id != page.InstagramAccountId);
        var recentIds = inboxData.SelectMany(c => c.Messages.Take(20)).Select(m => m.Id).ToList();
        var operations = new List<Operation>
        {
            new("inbox 10×10", Read("inbox"), new { pageId = page.PageId, conversations = 10, messages = 10 }),
            new("thread (20 messages)", Read("thread"), new { conversationId = conversation.Id }),
            new("find-by-user", Read("find-by-user"), new { pageId = page.PageId, platform = conversation.Platform.ToString().ToUpperInvariant(), userId = user.Id }),
        };
        foreach (var count in new[] { 1, 50, 120 })
        {
            var fields = string.Join(" ", recentIds.Take(count).Select((id, i) => $$"""m{{i}}: message(id: "{{id}}") { id from { id } message }"""));
            operations.Add(new($"{count} × message(id)", "query { " + fields + " }", null));
        }
        await Task.CompletedTask;
        return operations;
    }

    private static async Task<string> PostAsync(HttpClient http, Operation operation)
    {
        using var response = await http.PostAsJsonAsync("graphql", new { query = operation.Query, variables = operation.Variables });
        var body = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(body)!;
        if (json["errors"] is not null)
        {
            throw new InvalidOperationException($"{operation.Name} failed: {body[..Math.Min(400, body.Length)]}");
        }
        return json["data"]!.ToJsonString();
    }

    private static async Task<(List<double> Milliseconds, TimeSpan Elapsed)> LoadAsync<T>(Func<Task<T>> request, int count)
    {
        for (var i = 0; i < Concurrency; i++)
        {
            await request();
        }
        var latencies = new List<double>(count);
        var next = 0;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                var watch = Stopwatch.StartNew();
                await request();
                lock (latencies)
                {
                    latencies.Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }));
        return (latencies, total.Elapsed);
    }

    private static string Report(bool quick, int latencyMs, int requests, List<Row> rows, Dictionary<string, double> peaks,
        double emulatorP50, double zeroLatencyThroughput, double zeroLatencyP50)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("# Benchmarks").AppendLine();
        text.AppendLine(c, $"Command: `dotnet run -c Release --project tests/Gateway.Benchmarks --{(quick ? " --quick" : "")}` ");
        text.AppendLine(c, $"(emulator latency {latencyMs} ms per Graph call, {requests} requests per cell at concurrency {Concurrency}, one machine, one run;");
        text.AppendLine("read the ratios, not the absolute times). Each mode is its own gateway process; all three answer every operation identically").AppendLine("(checked in the run).").AppendLine();
        text.AppendLine("| operation | mode | Graph calls | p50 ms | p95 ms | p99 ms | req/s | same answer |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var row in rows)
        {
            var reference = rows.First(r => r.Operation == row.Operation && r.Mode == "PushDown");
            text.AppendLine(c, $"| {row.Operation} | {row.Mode} | {row.Calls} | {Percentile(row.Latencies, 50):F1} | {Percentile(row.Latencies, 95):F1} | {Percentile(row.Latencies, 99):F1} | {row.Throughput:F0} | {(row.Answer == reference.Answer ? "✓" : "✗")} |");
        }
        text.AppendLine();
        var naive = rows.First(r => r is { Mode: "Naive", Operation: "inbox 10×10" });
        var batched = rows.First(r => r is { Mode: "Batched", Operation: "inbox 10×10" });
        var pushDown = rows.First(r => r is { Mode: "PushDown", Operation: "inbox 10×10" });
        text.AppendLine("## Ratios (inbox 10×10)").AppendLine();
        text.AppendLine(c, $"- Graph calls, naive / push-down: **{(double)naive.Calls / pushDown.Calls:F0}×** ({naive.Calls} vs {pushDown.Calls}); batched / push-down: {(double)batched.Calls / pushDown.Calls:F0}× ({batched.Calls}).");
        text.AppendLine(c, $"- p50 latency, naive / push-down: {Percentile(naive.Latencies, 50) / Percentile(pushDown.Latencies, 50):F2}×; batched / push-down: {Percentile(batched.Latencies, 50) / Percentile(pushDown.Latencies, 50):F2}×.");
        text.AppendLine(c, $"- Gateway push-down p50 / the emulator's own p50 for the same single Graph call (concurrency {Concurrency}): **{Percentile(pushDown.Latencies, 50) / emulatorP50:F2}×** ({Percentile(pushDown.Latencies, 50):F1} ms vs {emulatorP50:F1} ms; difference {Percentile(pushDown.Latencies, 50) - emulatorP50:F1} ms).");
        text.AppendLine(c, $"- Throughput with a 0 ms upstream (push-down inbox, concurrency {Concurrency}, 2 cores shared by gateway, emulator and load): {zeroLatencyThroughput:F0} req/s, p50 {zeroLatencyP50:F1} ms.");
        text.AppendLine(c, $"- Peak working set (VmHWM) per gateway process: {string.Join(", ", peaks.Select(p => $"{p.Key} {p.Value:F0} MB"))}.");
        return text.ToString();
    }

    private static double Percentile(List<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>A keep-alive client; gateway requests forward the Page token, as a frontend would.</summary>
    private static HttpClient Client(Uri address, string? token)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency * 2 }) { BaseAddress = address };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }
        return http;
    }

    private static string Read(string operation) => File.ReadAllText(Path.Combine(RepositoryRoot, "schema", "operations", operation + ".graphql"));

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Gateway.sln not found above the benchmark's output.");
    }

    private sealed record Operation(string Name, string Query, object? Variables);

    private sealed record Row(string Mode, string Operation, int Calls, string Answer, List<double> Latencies, double Throughput);
}
