using System.Globalization;
using System.Text;
using MetaGraph.Emulator;

namespace Gateway.Benchmarks;

/// <summary>
/// One run: the emulator at a fixed latency and the gateway in its three modes, each its own process, with this process
/// only generating load. Every cell is measured after a warm-up (the JIT's optimized code, the connection pools), and
/// figures are medians, percentiles and ratios from one run: absolute times on a shared machine mean little alone.
/// </summary>
public static class BenchmarkRun
{
    private static readonly string[] Modes = ["Naive", "Batched", "PushDown"];

    public static string RepositoryRoot { get; } = Gateway.Hosting.RepositoryRoot.Above(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("Gateway.sln not found above the benchmark's output.");

    /// <summary>The report in Markdown and its chart as SVG.</summary>
    public static async Task<(string Markdown, string Chart)> RunAsync(bool quick, int latencyMs)
    {
        var settings = quick ? Settings.Quick : Settings.Full;
        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorOptions { ConversationsPerPlatform = 60, LatencyMs = latencyMs });
        var page = emulator.Seed[0];
        var operations = Operations(emulator);
        var inbox = operations[0];
        var rows = new List<Row>();
        var peaks = new Dictionary<string, double>();
        InboxComparison? comparison = null;
        ZeroLatency? zeroLatency = null;
        foreach (var mode in Modes)
        {
            await using var gateway = await GatewayProcess.StartAsync(mode, emulator.BaseAddress, emulator.Seed);
            using var load = new LoadGenerator(gateway.Address, page.AccessToken);
            var answers = new Dictionary<Operation, (string Answer, IReadOnlyList<RecordedRequest> Calls)>();
            foreach (var operation in operations)
            {
                await emulator.ResetRequestsAsync();
                var answer = await load.QueryAsync(operation);
                answers[operation] = (answer, await emulator.RequestsAsync());
            }
            await load.WarmUpAsync(operations, settings.WarmUp);
            foreach (var operation in operations)
            {
                var (result, allocated) = await gateway.Allocations.MeasureAsync(() => load.RunAsync(operation, settings.RequestsPerCell));
                rows.Add(new Row(mode, operation.Name, answers[operation].Calls.Count, answers[operation].Answer, result, (double)allocated / settings.RequestsPerCell));
            }
            await emulator.ResetRequestsAsync();
            if (mode == "PushDown")
            {
                comparison = await CompareWithEmulatorAsync(load, emulator, inbox, answers[inbox].Calls.Single(), page.AccessToken, settings);
                zeroLatency = await MeasureZeroLatencyAsync(load, gateway, emulator, inbox, latencyMs, settings);
            }
            peaks[mode] = gateway.PeakWorkingSetMegabytes();
        }
        var allowance = await MeasureAtMetasAllowanceAsync(emulator, inbox, settings);
        var chart = BenchmarkChart.Svg(rows.Select(row => (row.Operation, row.Mode, row.Load.Percentile(50), row.Calls)).ToList(), latencyMs);
        return (Report(quick, latencyMs, settings, rows, peaks, comparison!, zeroLatency!, allowance), chart);
    }

    /// <summary>The push-down inbox against the one Graph call it makes, read straight from the emulator with the same
    /// load generator, alternating rounds so that drift on the shared machine hits both alike.</summary>
    private static async Task<InboxComparison> CompareWithEmulatorAsync(
        LoadGenerator gateway, EmulatorProcess emulator, Operation inbox, RecordedRequest inboxCall, string token, Settings settings)
    {
        using var direct = new LoadGenerator(emulator.BaseAddress, bearerToken: null);
        var directUrl = EmulatorProcess.DirectUrl(inboxCall, token);
        await gateway.WarmUpAsync([inbox], settings.WarmUp);
        await direct.RunGetAsync(directUrl, settings.RequestsPerCell);
        var rounds = new List<(double Gateway, double Emulator)>();
        for (var round = 0; round < settings.ComparisonRounds; round++)
        {
            var viaGateway = await gateway.RunAsync(inbox, settings.ComparisonRequests);
            var straight = await direct.RunGetAsync(directUrl, settings.ComparisonRequests);
            rounds.Add((viaGateway.Percentile(50), straight.Percentile(50)));
        }
        var alone = await gateway.RunAsync(inbox, settings.OneAtATimeRequests, concurrency: 1);
        var straightAlone = await direct.RunGetAsync(directUrl, settings.OneAtATimeRequests, concurrency: 1);
        await emulator.ResetRequestsAsync();
        return new InboxComparison(rounds, alone.Percentile(50), straightAlone.Percentile(50));
    }

    /// <summary>What the gateway itself costs: the inbox against an emulator that answers at once, as requests per
    /// second on the shared cores and as the gateway process's own CPU time per request.</summary>
    private static async Task<ZeroLatency> MeasureZeroLatencyAsync(
        LoadGenerator load, GatewayProcess gateway, EmulatorProcess emulator, Operation inbox, int latencyMs, Settings settings)
    {
        await emulator.ConfigureAsync(new EmulatorRuntimeConfig(LatencyMs: 0));
        await load.WarmUpAsync([inbox], settings.WarmUp);
        var cpuBefore = gateway.CpuTime();
        var result = await load.RunAsync(inbox, settings.ZeroLatencyRequests);
        var cpu = gateway.CpuTime() - cpuBefore;
        await emulator.ConfigureAsync(new EmulatorRuntimeConfig(LatencyMs: latencyMs));
        await emulator.ResetRequestsAsync();
        return new ZeroLatency(result.Throughput, result.Percentile(50), cpu.TotalMilliseconds / settings.ZeroLatencyRequests);
    }

    /// <summary>One client reading the inbox back to back, with the emulator enforcing Meta's 2 calls per second per Page
    /// and the gateway's governor at its defaults: how much of the allowance one reader gets, with no call refused.</summary>
    private static async Task<AtMetasAllowance> MeasureAtMetasAllowanceAsync(EmulatorProcess emulator, Operation inbox, Settings settings)
    {
        await emulator.ConfigureAsync(new EmulatorRuntimeConfig(RateLimitPerSecond: 2));
        await using var gateway = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed,
            new Dictionary<string, string> { ["Meta__RateLimit__CallsPerSecond"] = "2" });
        using var load = new LoadGenerator(gateway.Address, emulator.Seed[0].AccessToken);
        await load.QueryAsync(inbox);
        await emulator.ResetRequestsAsync();
        // Every read must succeed: the load generator fails the run on any error, Meta's refusals included.
        var result = await load.RunAsync(inbox, settings.AllowanceReads, concurrency: 1);
        var calls = (await emulator.RequestsAsync()).Count;
        await emulator.ConfigureAsync(new EmulatorRuntimeConfig(RateLimitPerSecond: 0));
        return new AtMetasAllowance(settings.AllowanceReads, result.Elapsed, calls);
    }

    private static List<Operation> Operations(EmulatorProcess emulator)
    {
        var page = emulator.Seed[0];
        var inboxData = emulator.Data.Pages[0].Conversations.Where(c => c.Folder == "inbox").ToList();
        var conversation = inboxData.First(c => c.Messages.Count > 25);
        var user = conversation.Participants.First(p => p.Id != page.PageId && p.Id != page.InstagramAccountId);
        var recentIds = inboxData.SelectMany(c => c.Messages.Take(20)).Select(m => m.Id).ToList();
        var operations = new List<Operation>
        {
            Inbox.Operation(page.PageId),
            new("thread (20 messages)", Read("thread"), new { conversationId = conversation.Id }),
            new("find-by-user", Read("find-by-user"), new { pageId = page.PageId, platform = conversation.Platform.ToString().ToUpperInvariant(), userId = user.Id }),
        };
        foreach (var count in new[] { 1, 50, 120 })
        {
            var fields = string.Join(" ", recentIds.Take(count).Select((id, i) => $$"""m{{i}}: message(id: "{{id}}") { id from { id } message }"""));
            operations.Add(new($"{count} × message(id)", "query { " + fields + " }", null));
        }
        return operations;
    }

    private static string Report(bool quick, int latencyMs, Settings settings, List<Row> rows, Dictionary<string, double> peaks,
        InboxComparison comparison, ZeroLatency zeroLatency, AtMetasAllowance allowance)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("# Benchmarks").AppendLine();
        text.AppendLine(c, $"Command: `dotnet run -c Release --project tests/Gateway.Benchmarks --{(quick ? " --quick" : "")}`  ");
        text.AppendLine(c, $"The emulator at {latencyMs} ms per Graph call and each gateway mode run as separate processes; this process only generates load");
        text.AppendLine(c, $"({LoadGenerator.Concurrency} concurrent keep-alive connections, {settings.RequestsPerCell} requests per cell after a {settings.WarmUp.TotalSeconds:F0} s warm-up). One machine, one run:");
        text.AppendLine("read the ratios, not the absolute times. All three modes answer every operation identically (checked in the run).");
        text.AppendLine("Allocated bytes are the gateway process's own, read from outside it (the runtime's `dotnet.gc.heap.total_allocated`).").AppendLine();
        text.AppendLine("![p50 latency per operation and mode](benchmarks.svg)").AppendLine();
        text.AppendLine("| operation | mode | Graph calls | p50 ms | p95 ms | p99 ms | req/s | KB allocated per request | same answer |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var row in rows)
        {
            var reference = rows.First(r => r.Operation == row.Operation && r.Mode == "PushDown");
            text.AppendLine(c, $"| {row.Operation} | {row.Mode} | {row.Calls} | {row.Load.Percentile(50):F1} | {row.Load.Percentile(95):F1} | {row.Load.Percentile(99):F1} | {row.Load.Throughput:F0} | {row.AllocatedBytesPerRequest / 1024:F1} | {(row.Answer == reference.Answer ? "✓" : "✗")} |");
        }
        text.AppendLine();
        var naive = rows.First(r => r is { Mode: "Naive", Operation: "inbox 10×10" });
        var batched = rows.First(r => r is { Mode: "Batched", Operation: "inbox 10×10" });
        var pushDown = rows.First(r => r is { Mode: "PushDown", Operation: "inbox 10×10" });
        text.AppendLine("## Ratios (inbox 10×10)").AppendLine();
        text.AppendLine(c, $"- Graph calls, naive / push-down: **{(double)naive.Calls / pushDown.Calls:F0}×** ({naive.Calls} vs {pushDown.Calls}); batched / push-down: {(double)batched.Calls / pushDown.Calls:F0}× ({batched.Calls}).");
        text.AppendLine(c, $"- p50 latency, naive / push-down: {naive.Load.Percentile(50) / pushDown.Load.Percentile(50):F2}×; batched / push-down: {batched.Load.Percentile(50) / pushDown.Load.Percentile(50):F2}×.");
        var gatewayP50 = Statistics.Median(comparison.Rounds.Select(r => r.Gateway));
        var emulatorP50 = Statistics.Median(comparison.Rounds.Select(r => r.Emulator));
        text.AppendLine(c, $"- Push-down p50 against the emulator's own p50 for the same single Graph call, at concurrency {LoadGenerator.Concurrency} (median of {comparison.Rounds.Count} alternating rounds of {settings.ComparisonRequests}): **{gatewayP50 / emulatorP50:F2}×** ({gatewayP50:F1} ms vs {emulatorP50:F1} ms, **+{gatewayP50 - emulatorP50:F1} ms**); rounds: {string.Join(", ", comparison.Rounds.Select(r => $"{r.Gateway:F1}/{r.Emulator:F1}"))}.");
        text.AppendLine(c, $"- The same, one request at a time: {comparison.AloneGateway / comparison.AloneEmulator:F2}× ({comparison.AloneGateway:F1} ms vs {comparison.AloneEmulator:F1} ms, +{comparison.AloneGateway - comparison.AloneEmulator:F1} ms).");
        text.AppendLine(c, $"- With a 0 ms upstream (push-down inbox, concurrency {LoadGenerator.Concurrency}, the two cores shared by gateway, emulator and load): {zeroLatency.Throughput:F0} req/s, p50 {zeroLatency.P50:F1} ms; the gateway process used **{zeroLatency.CpuMillisecondsPerRequest:F2} ms of CPU per request**.");
        text.AppendLine(c, $"- Peak working set (VmHWM) per gateway process: {string.Join(", ", peaks.Select(p => $"{p.Key} {p.Value:F0} MB"))}.");
        text.AppendLine();
        text.AppendLine("## At Meta's allowance").AppendLine();
        text.AppendLine(c, $"One client reading the push-down inbox back to back, the emulator enforcing 2 calls per second per Page (as Meta does) and the gateway's governor at its defaults: **{allowance.Reads / allowance.Elapsed.TotalSeconds:F2} inbox reads/s** ({allowance.Reads} reads in {allowance.Elapsed.TotalSeconds:F1} s, {allowance.GraphCalls} Graph calls, none refused by Meta, no error).");
        return text.ToString();
    }

    private sealed record AtMetasAllowance(int Reads, TimeSpan Elapsed, int GraphCalls);

    private static string Read(string operation) => File.ReadAllText(Path.Combine(RepositoryRoot, "schema", "operations", operation + ".graphql"));

    private sealed record Settings(int RequestsPerCell, TimeSpan WarmUp, int ComparisonRounds, int ComparisonRequests, int OneAtATimeRequests,
        int ZeroLatencyRequests, int AllowanceReads)
    {
        public static Settings Full { get; } = new(500, TimeSpan.FromSeconds(8), 5, 1000, 200, 4000, 40);

        public static Settings Quick { get; } = new(64, TimeSpan.FromSeconds(5), 3, 200, 40, 800, 16);
    }

    /// <param name="AllocatedBytesPerRequest">Bytes the gateway process allocated over the cell (read over EventPipe) per request.</param>
    private sealed record Row(string Mode, string Operation, int Calls, string Answer, LoadResult Load, double AllocatedBytesPerRequest);

    private sealed record InboxComparison(List<(double Gateway, double Emulator)> Rounds, double AloneGateway, double AloneEmulator);

    private sealed record ZeroLatency(double Throughput, double P50, double CpuMillisecondsPerRequest);
}
