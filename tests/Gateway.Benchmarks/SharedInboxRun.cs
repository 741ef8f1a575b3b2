using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using MetaGraph.Emulator;
using MetaGraph.Emulator.Data;

namespace Gateway.Benchmarks;

/// <summary>
/// One Page, many readers: 20 support agents reading the same Page's inbox back to back against an emulator that enforces
/// Meta's 2 calls per second per Page at 20 ms a call, while a person writes to the Page once a second and the emulator
/// posts Meta's signed webhook to the gateway; on one gateway instance, then on two sharing one Redis. Then the gateway's
/// cached read against an uncached one at 0 ms upstream.
/// </summary>
public static class SharedInboxRun
{
    private const int Agents = 20;
    private const string AppSecret = "benchmark-app-secret";
    private const string VerifyToken = "benchmark-verify-token";

    /// <summary>People who write, in turn: each one's first webhook costs the gateway one Graph call to find their conversation.</summary>
    private const int Writers = 5;

    public static async Task<string> RunAsync(bool quick)
    {
        var duration = TimeSpan.FromSeconds(quick ? 10 : 30);
        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorOptions { LatencyMs = 20 });
        await emulator.ConfigureAsync(new EmulatorRuntimeConfig(RateLimitPerSecond: 2));
        var page = emulator.Seed[0];
        var inbox = Inbox.Operation(page.PageId);
        var writers = emulator.Data.Pages[0].Folder(InboxPlatform.Messenger).Take(Writers).Select(c => c.Customer.Id).ToArray();
        var scenario = new Scenario(emulator, page, inbox, writers, duration);

        AgentsResult quiet, one;
        await using (var gateway = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed, AtMetasAllowance()))
        {
            // The same agents with nobody writing: what the new messages cost, on the machine as busy as it is now.
            quiet = await scenario.RunAsync([gateway], redis: null, firstMessage: 0, writing: false);
            one = await scenario.RunAsync([gateway], redis: null, firstMessage: 0, writing: true);
        }
        AgentsResult two;
        await using (var redis = await RedisProcess.StartAsync())
        {
            var shared = new Dictionary<string, string>(AtMetasAllowance()) { ["ConnectionStrings__Redis"] = redis.ConnectionString };
            await using var a = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed, shared);
            await using var b = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed, shared);
            two = await scenario.RunAsync([a, b], redis, firstMessage: one.MessagesWritten, writing: true);
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
        return Report(quick, duration, [("1, nobody writing", quiet), ("1", one), ("2 + Redis", two)], cached, uncached);
    }

    /// <summary>The hand-written part of <c>docs/scaling-benchmark.md</c> starts at this heading; a new run keeps it.</summary>
    private const string NotesHeading = "## Medians and what limits them";

    /// <summary>The new run's report, followed by the hand-written notes of <paramref name="existing"/> (from
    /// <see cref="NotesHeading"/> on), which summarise several runs and so are not the harness's to rewrite.</summary>
    public static string Into(string? existing, string report)
    {
        var notes = existing?.IndexOf("\n" + NotesHeading, StringComparison.Ordinal) ?? -1;
        return notes < 0 ? report : report.TrimEnd() + "\n\n" + existing![(notes + 1)..];
    }

    private static Dictionary<string, string> AtMetasAllowance() => new()
    {
        ["Meta__RateLimit__CallsPerSecond"] = "2",
        ["Gateway__Cache__Enabled"] = "true",
        ["Meta__AppSecret"] = AppSecret,
        ["Meta__Webhooks__VerifyToken"] = VerifyToken,
    };

    private static async Task<double> ThroughputAsync(GatewayProcess gateway, string token, Operation inbox, bool quick)
    {
        using var load = new LoadGenerator(gateway.Address, token);
        await load.WarmUpAsync([inbox], TimeSpan.FromSeconds(quick ? 3 : 6));
        return (await load.RunAsync(inbox, quick ? 1_000 : 4_000)).Throughput;
    }

    private static double Percentile(IReadOnlyList<double> sorted, double percentile)
        => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1)];

    /// <summary>The agents and the writing person against one set of gateway instances.</summary>
    private sealed class Scenario(EmulatorProcess emulator, SeedPage page, Operation inbox, string[] writers, TimeSpan duration)
    {
        private TimeSpan WarmUp => duration / 3;

        public async Task<AgentsResult> RunAsync(GatewayProcess[] instances, RedisProcess? redis, int firstMessage, bool writing)
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Agents });
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", page.AccessToken);
            // Meta posts every webhook to one callback URL; with two instances the first gets them and Redis tells the other.
            await emulator.ConfigureAsync(new EmulatorRuntimeConfig(WebhookUrl: new Uri(instances[0].Address, "webhooks/meta").ToString(),
                AppSecret: AppSecret, WebhookVerifyToken: VerifyToken));
            // Steady state is measured: each instance has answered (connected to Redis) and had its hot paths recompiled by the
            // JIT's second tier, which on a CPU shared with other work takes several seconds (2 s were too few).
            foreach (var instance in instances)
            {
                using var warmUp = new LoadGenerator(instance.Address, page.AccessToken);
                await warmUp.WarmUpAsync([inbox], WarmUp);
            }
            await emulator.ResetRequestsAsync();
            var probes = instances.Select(_ => new StalenessProbes()).ToArray();
            var latencies = new List<double>[Agents];
            var failures = new int[Agents];
            var cpu = new CpuUse(emulator, instances, redis);
            var loadBefore = SideBySide.LoadAverage();
            var clock = Stopwatch.StartNew();
            var messages = writing ? WriteAsync(http, probes, firstMessage, clock) : Task.FromResult(0);
            await Task.WhenAll(Enumerable.Range(0, Agents).Select(async agent =>
            {
                latencies[agent] = [];
                var instance = agent % instances.Length;
                var address = new Uri(instances[instance].Address, "graphql");
                var buffer = new byte[256 * 1024];
                while (clock.Elapsed < duration)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var request = new HttpRequestMessage(HttpMethod.Post, address)
                    {
                        Content = new ByteArrayContent(inbox.Body) { Headers = { ContentType = new("application/json") } },
                    };
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    var body = buffer.AsMemory(0, await LoadGenerator.ReadBodyAsync(response, buffer));
                    var answered = Stopwatch.GetTimestamp();
                    if (response.StatusCode == HttpStatusCode.OK && body.Span.IndexOf("\"errors\":"u8) < 0)
                    {
                        latencies[agent].Add(Stopwatch.GetElapsedTime(started, answered).TotalMilliseconds);
                        probes[instance].Saw(body.Span, answered);
                    }
                    else
                    {
                        failures[agent]++;
                    }
                }
            }));
            var elapsed = clock.Elapsed;
            var cores = cpu.CoresSince(elapsed);
            var written = await messages;
            await emulator.ConfigureAsync(new EmulatorRuntimeConfig(WebhookUrl: ""));
            var calls = (await emulator.RequestsAsync()).Count(call => !call.Path.EndsWith("/me", StringComparison.Ordinal));
            var all = latencies.SelectMany(l => l).Order().ToArray();
            var p99ByInstance = instances.Select((_, i) => Percentile(
                [.. latencies.Where((_, agent) => agent % instances.Length == i).SelectMany(l => l).Order()], 99)).ToArray();
            var staleness = probes.SelectMany(p => p.Staleness).Order().ToArray();
            return new AgentsResult(all.Length, failures.Sum(), elapsed, calls, Percentile(all, 50), Percentile(all, 99),
                written, staleness.Length, probes.Sum(p => p.Unseen), Percentile(staleness, 50), Percentile(staleness, 99), cores,
                $"{loadBefore} → {SideBySide.LoadAverage()}", p99ByInstance);
        }

        /// <summary>A person writes once a second (the writers in turn) until 2 s before the agents stop, so that every message has
        /// time to be seen; each message's text is unique, and its clock starts as its <c>POST /_emulator/messages</c> is sent.</summary>
        private async Task<int> WriteAsync(HttpClient http, StalenessProbes[] probes, int firstMessage, Stopwatch clock)
        {
            using var everySecond = new PeriodicTimer(TimeSpan.FromSeconds(1));
            var written = 0;
            while (clock.Elapsed < duration - TimeSpan.FromSeconds(2) && await everySecond.WaitForNextTickAsync())
            {
                var number = firstMessage + written;
                var text = string.Create(CultureInfo.InvariantCulture, $"Is this still available? (probe {number})");
                var sent = Stopwatch.GetTimestamp();
                foreach (var probe in probes)
                {
                    probe.Sent(Encoding.UTF8.GetBytes(text), sent);
                }
                using var answer = await http.PostAsJsonAsync(new Uri(emulator.BaseAddress, "_emulator/messages"),
                    new { pageId = page.PageId, platform = "messenger", userId = writers[number % writers.Length], text });
                answer.EnsureSuccessStatusCode();
                written++;
            }
            return written;
        }
    }

    /// <summary>The new messages one instance's agents have not seen yet, and how long each took to appear: from the moment its
    /// <c>POST /_emulator/messages</c> was sent until the first inbox read on that instance that contains it had answered.</summary>
    private sealed class StalenessProbes
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<byte[], long> _pending = [];
        private readonly List<double> _staleness = [];
        private volatile byte[][] _texts = [];

        public IReadOnlyList<double> Staleness => _staleness;

        public int Unseen => _pending.Count;

        public void Sent(byte[] text, long at)
        {
            lock (_gate)
            {
                _pending[text] = at;
                _texts = [.. _pending.Keys];
            }
        }

        public void Saw(ReadOnlySpan<byte> body, long at)
        {
            foreach (var text in _texts)
            {
                if (body.IndexOf(text) < 0)
                {
                    continue;
                }
                lock (_gate)
                {
                    if (_pending.Remove(text, out var sent))
                    {
                        _staleness.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
                        _texts = [.. _pending.Keys];
                    }
                }
            }
        }
    }

    /// <summary>CPU each process used over the agents' run, in cores (CPU seconds per second): where the two shared cores went.</summary>
    private sealed class CpuUse
    {
        private readonly (string Name, Func<TimeSpan> Cpu, TimeSpan Start)[] _processes;

        public CpuUse(EmulatorProcess emulator, GatewayProcess[] instances, RedisProcess? redis)
        {
            var harness = Process.GetCurrentProcess();
            var processes = new List<(string, Func<TimeSpan>)>
            {
                ("load generator", () => { harness.Refresh(); return harness.TotalProcessorTime; }),
            };
            processes.AddRange(instances.Select((instance, i) => ($"gateway {(char)('A' + i)}", (Func<TimeSpan>)instance.CpuTime)));
            processes.Add(("emulator", emulator.CpuTime));
            if (redis is not null)
            {
                processes.Add(("redis", redis.CpuTime));
            }
            _processes = [.. processes.Select(p => (p.Item1, p.Item2, p.Item2()))];
        }

        public IReadOnlyList<(string Name, double Cores)> CoresSince(TimeSpan elapsed)
            => [.. _processes.Select(p => (p.Name, (p.Cpu() - p.Start).TotalSeconds / elapsed.TotalSeconds))];
    }

    private static string Report(bool quick, TimeSpan duration, IReadOnlyList<(string Name, AgentsResult Result)> rows, double cached, double uncached)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("# One Page, many readers").AppendLine();
        text.AppendLine(c, $"Command: `dotnet run -c Release --project tests/Gateway.Benchmarks -- --shared-inbox{(quick ? " --quick" : "")}`, {DateTime.UtcNow:yyyy-MM-dd}  ");
        text.AppendLine(c, $"{Agents} agents read one Page's 10×10 inbox (`schema/operations/inbox.graphql`) back to back for {duration.TotalSeconds:F0} s, after");
        text.AppendLine(c, $"{duration.TotalSeconds / 3:F0} s of warm-up on each instance; the emulator");
        text.AppendLine("enforces Meta's 2 calls per second per Page at 20 ms a call. Meanwhile a person writes to the Page once a second");
        text.AppendLine(c, $"({Writers} people in turn, through the emulator's `POST /_emulator/messages`), and the emulator posts Meta's signed webhook");
        text.AppendLine("to the gateway, which drops the cached answers the message makes wrong. The gateway runs with its defaults (cache on,");
        text.AppendLine("listings cached 10 s, governor at 2/s). With two instances the agents alternate between them, and the webhooks go to");
        text.AppendLine("the first instance (Meta posts to one callback URL); Redis carries the invalidation to the second. Every process");
        text.AppendLine("(load generator, gateways, emulator, Redis) runs on the same machine: **2 shared cores**. One run.").AppendLine();
        text.AppendLine("| instances | successful reads/s | failed reads | Graph calls/s | read p50 ms | read p99 ms (by instance) | staleness p50 ms | staleness p99 ms | new messages (seen / unseen) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var (name, result) in rows)
        {
            text.AppendLine(c, $"| {name} | {result.Reads / result.Elapsed.TotalSeconds:F0} | {result.Failures} | {result.GraphCalls / result.Elapsed.TotalSeconds:F2} | {result.P50:F1} | {result.P99:F1}{(result.P99ByInstance.Length > 1 ? $" ({string.Join(" / ", result.P99ByInstance.Select(p => p.ToString("F0", c)))})" : "")} | {Milliseconds(result.StalenessP50)} | {Milliseconds(result.StalenessP99)} | {result.MessagesWritten} ({result.Sightings} / {result.Unseen}) |");
        }
        text.AppendLine();
        text.AppendLine("**Staleness** (webhook to visible): for each new message and each instance, the time from the moment the harness");
        text.AppendLine("sends `POST /_emulator/messages` (the emulator creates the message, answers, and posts its webhook to the gateway at");
        text.AppendLine("once) until the first inbox read on that instance that shows the message has answered. It includes the webhook's");
        text.AppendLine("delivery, the gateway's processing, the invalidation (through Redis for the second instance) and the one Graph call");
        text.AppendLine("at 20 ms that refills the inbox. With one message a second the percentiles rest on few samples: p99 is close to the");
        text.AppendLine("maximum. \"Seen\" counts (message, instance) pairs, so with two instances each message is counted twice.").AppendLine();
        text.AppendLine("Where the two cores went during the agents' run (CPU seconds per second of each process):").AppendLine();
        text.AppendLine("| instances | " + string.Join(" | ", rows[^1].Result.Cores.Select(p => p.Name)) + " | total | gateway CPU ms per read | machine load average (1 min), start → end |");
        text.AppendLine("|---|" + string.Concat(rows[^1].Result.Cores.Select(_ => "---:|")) + "---:|---:|---|");
        foreach (var (name, result) in rows)
        {
            var cores = rows[^1].Result.Cores.Select(p => result.Cores.Where(q => q.Name == p.Name).Select(q => q.Cores.ToString("F2", c)).DefaultIfEmpty("—").Single());
            text.AppendLine(c, $"| {name} | {string.Join(" | ", cores)} | {result.Cores.Sum(p => p.Cores):F2} | {result.GatewayCpuPerRead:F2} | {result.MachineLoad} |");
        }
        text.AppendLine();
        text.AppendLine(c, $"Cached against uncached at 0 ms upstream (one instance, 16 connections): **{cached:F0}** vs {uncached:F0} inbox reads/s ({cached / uncached:F1}×).");
        return text.ToString();
    }

    private static string Milliseconds(double value) => double.IsNaN(value) ? "—" : value.ToString("F0", CultureInfo.InvariantCulture);

    private sealed record AgentsResult(int Reads, int Failures, TimeSpan Elapsed, int GraphCalls, double P50, double P99,
        int MessagesWritten, int Sightings, int Unseen, double StalenessP50, double StalenessP99, IReadOnlyList<(string Name, double Cores)> Cores,
        string MachineLoad, double[] P99ByInstance)
    {
        /// <summary>Milliseconds of gateway CPU (all instances) per successful read: what a read costs, however busy the machine.</summary>
        public double GatewayCpuPerRead => Cores.Where(p => p.Name.StartsWith("gateway", StringComparison.Ordinal)).Sum(p => p.Cores) * 1000 / (Reads / Elapsed.TotalSeconds);
    }
}
