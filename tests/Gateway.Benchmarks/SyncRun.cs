using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MetaGraph.Emulator;

namespace Gateway.Benchmarks;

/// <summary>
/// The inbox sync of a large Page against an emulator that enforces Meta's 2 calls per second: how many conversations a
/// minute it archives when it may use the whole allowance, and at its default half share; and, at the half share, what
/// 10 support agents reading the Page's inbox meanwhile see, against the same agents just before the sync.
/// </summary>
public static class SyncRun
{
    public const string Heading = "## Measured: sync";

    private const int Agents = 10;
    private const string Start = """mutation($page: ID!) { startInboxSync(input: { pageId: $page, platform: MESSENGER }) { errors { ... on InboxSyncError { code message } } } }""";
    private const string Status = """query($page: ID!) { inboxSync(pageId: $page, platform: MESSENGER) { state conversationsDone callsUsed startedAt finishedAt lastError } }""";

    public static async Task<string> RunAsync(int conversations)
    {
        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorOptions { LargePageConversations = conversations, LatencyMs = 20 });
        await emulator.ConfigureAsync(new EmulatorRuntimeConfig(RateLimitPerSecond: 2));
        var page = emulator.Seed[^1];
        var folder = Directory.CreateTempSubdirectory("sync-benchmark-");
        try
        {
            var whole = await SyncAsync(emulator, page, folder, share: 1.0, agents: false);
            var half = await SyncAsync(emulator, page, folder, share: 0.5, agents: true);
            return Report(conversations, whole, half);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<SyncResult> SyncAsync(EmulatorProcess emulator, SeedPage page, DirectoryInfo folder, double share, bool agents)
    {
        await using var gateway = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed, new Dictionary<string, string>
        {
            ["Meta__RateLimit__CallsPerSecond"] = "2",
            ["Meta__RateLimit__BackgroundShare"] = share.ToString(CultureInfo.InvariantCulture),
            ["Gateway__Cache__Enabled"] = "true",
            ["ConnectionStrings__Archive"] = $"Data Source={Path.Combine(folder.FullName, $"archive-{share.ToString(CultureInfo.InvariantCulture)}.db")}",
        });
        using var http = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromMinutes(2) };
        var variables = new { page = page.PageId };
        var load = SideBySide.LoadAverage();
        using var stopAgents = new CancellationTokenSource();
        if (agents)
        {
            // Steady state: the process's hot paths compiled by the JIT's second tier before anything is timed.
            await ReadAsync(http, page.PageId, TimeSpan.FromSeconds(15), CancellationToken.None);
        }
        var before = agents ? await ReadAsync(http, page.PageId, TimeSpan.FromSeconds(20), CancellationToken.None) : [];
        await emulator.ResetRequestsAsync();
        var started = await PostAsync(http, Start, variables);
        if (started["data"]?["startInboxSync"]?["errors"] is JsonArray errors)
        {
            throw new InvalidOperationException($"The sync did not start: {errors.ToJsonString()}");
        }
        var during = agents ? ReadAsync(http, page.PageId, TimeSpan.MaxValue, stopAgents.Token) : Task.FromResult(new List<double>());
        JsonNode status;
        while ((status = (await PostAsync(http, Status, variables))["data"]!["inboxSync"]!)["state"]!.GetValue<string>() is "RUNNING" or "PAUSED")
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        await stopAgents.CancelAsync();
        var readDuring = await during;
        if (status["state"]!.GetValue<string>() != "COMPLETED")
        {
            throw new InvalidOperationException($"The sync did not complete: {status.ToJsonString()}");
        }
        var elapsed = status["finishedAt"]!.GetValue<DateTimeOffset>() - status["startedAt"]!.GetValue<DateTimeOffset>();
        var calls = (await emulator.RequestsAsync()).Count(call => !call.Path.EndsWith("/me", StringComparison.Ordinal));
        return new SyncResult(share, status["conversationsDone"]!.GetValue<int>(), status["callsUsed"]!.GetValue<int>(), calls, elapsed, before, readDuring,
            $"{load} → {SideBySide.LoadAverage()}");
    }

    /// <summary>The agents read the Page's inbox, each every 200 ms, for <paramref name="duration"/> or until stopped; every
    /// answer's time (an answer with errors fails the run: an agent must never see Meta's refusal).</summary>
    private static async Task<List<double>> ReadAsync(HttpClient http, string pageId, TimeSpan duration, CancellationToken stop)
    {
        var inbox = Inbox.Operation(pageId);
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Agents).Select(async _ =>
        {
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            while (!stop.IsCancellationRequested && clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                var answer = await PostAsync(http, inbox.Query, inbox.Variables!);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (answer["errors"] is not null)
                {
                    throw new InvalidOperationException($"An agent's read failed during the sync: {answer["errors"]!.ToJsonString()}");
                }
                lock (latencies)
                {
                    latencies.Add(elapsed);
                }
                try
                {
                    await pace.WaitForNextTickAsync(stop);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }));
        return latencies;
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string query, object variables)
    {
        using var response = await http.PostAsJsonAsync("graphql", new { query, variables });
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private sealed record SyncResult(double Share, int Conversations, int CallsUsed, int GraphCalls, TimeSpan Elapsed, List<double> Before,
        List<double> During, string Load)
    {
        public double PerMinute => Conversations / Elapsed.TotalMinutes;
    }

    private static string Report(int conversations, SyncResult whole, SyncResult half)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(Heading).AppendLine();
        text.AppendLine(c, $"Command: `dotnet run -c Release --project tests/Gateway.Benchmarks -- --sync{(conversations == 2_000 ? "" : $" --conversations {conversations}")}`, {DateTime.UtcNow:yyyy-MM-dd}, one run.  ");
        text.AppendLine(c, $"The emulator's large Page ({conversations:N0} Messenger inbox conversations, mostly 1 to 6 messages, every 50th up to 60)");
        text.AppendLine("at 20 ms a call, enforcing Meta's 2 calls per second per Page; the gateway as its own process (Release, cache on,");
        text.AppendLine("SQLite archive, its governor at 2 calls/s), the sync started with `startInboxSync` and timed from its `startedAt` to");
        text.AppendLine("its `finishedAt`; 25 conversations with their 20 most recent messages per call.").AppendLine();
        text.AppendLine("| background share | conversations | sync calls (all Graph calls) | time | conversations/minute | load average, start → end |");
        text.AppendLine("|---:|---:|---:|---:|---:|---|");
        foreach (var result in new[] { whole, half })
        {
            text.AppendLine(c, $"| {result.Share:0.0} (≤ {2 * result.Share:0} call/s) | {result.Conversations:N0} | {result.CallsUsed} ({result.GraphCalls}) | {result.Elapsed.TotalSeconds:F0} s | **{result.PerMinute:N0}** | {result.Load} |");
        }
        text.AppendLine();
        text.AppendLine(c, $"{Agents} agents reading the Page's inbox (`schema/operations/inbox.graphql`, 10×10), each every 200 ms: 15 s to warm up, 20 s");
        text.AppendLine("before the half-share sync, then all through it (no read failed: an error fails the run):").AppendLine();
        text.AppendLine("| agents' reads | reads | p50 ms | p99 ms | max ms |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (name, reads) in new[] { ("before the sync", half.Before), ("during the sync", half.During) })
        {
            var result = new LoadResult([.. reads], TimeSpan.Zero);
            text.AppendLine(c, $"| {name} | {reads.Count:N0} | {result.Percentile(50):F1} | {result.Percentile(99):F1} | {reads.Max():F0} |");
        }
        return text.ToString();
    }
}
