using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MetaGraph.Emulator;

namespace Gateway.Benchmarks;

/// <summary>
/// Abusive bodies against the push-down gateway process: bursts of four ~1 MB documents at once (repeated
/// <c>__typename</c>, 20,000 <c>_entities</c> representations) while a probe measures <c>{__typename}</c> one request at a
/// time. Reports how fast each abusive body is refused, the probe's p50 against its idle p50, the gateway's CPU per
/// abusive body, and its working set before, at the peak and after.
/// </summary>
public static class AbuseRun
{
    public const string Heading = "## Abuse";

    private const int Workers = 4;
    private const int ProbeRequests = 400;
    private static readonly TimeSpan BurstInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<string> RunAsync(bool quick)
    {
        var bursts = quick ? 10 : 40;
        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorOptions { LatencyMs = 20 });
        await using var gateway = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Workers + 1 }) { BaseAddress = gateway.Address, Timeout = TimeSpan.FromMinutes(5) };
        // The spec's media type: a document refused before execution is a 400 under it.
        http.DefaultRequestHeaders.Accept.ParseAdd("application/graphql-response+json");
        var probe = Body(new { query = "{__typename}" });
        var abusive = new (string Name, byte[] Body, string Code)[]
        {
            ("`__typename` × 90,000", Body(new { query = "{" + string.Concat(Enumerable.Repeat(" __typename", 90_000)) + " }" }), "DOCUMENT_TOO_LARGE"),
            ("`_entities` × 20,000", Body(new
            {
                query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Message { id message } } }",
                variables = new { r = Enumerable.Range(0, 20_000).Select(i => new { __typename = "Message", id = $"m_{i:D12}" }) },
            }), "MAX_REPRESENTATIONS_EXCEEDED"),
        };

        // Warm-up: the JIT's optimized code for both paths (the probe's p50 keeps falling for a few thousand requests).
        await ProbeAsync(http, probe, ProbeRequests * 20);
        foreach (var (_, body, code) in abusive)
        {
            await SendAsync(http, body, code);
        }
        var idle = await ProbeAsync(http, probe, ProbeRequests * 5);
        var before = gateway.WorkingSetMegabytes();

        var rows = new List<string>();
        var c = CultureInfo.InvariantCulture;
        foreach (var (name, body, code) in abusive)
        {
            // The gateway's CPU per abusive body, measured alone (the probe below costs CPU too).
            var cpuBefore = gateway.CpuTime();
            for (var burst = 0; burst < 5; burst++)
            {
                await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => SendAsync(http, body, code)));
            }
            var cpu = (gateway.CpuTime() - cpuBefore).TotalMilliseconds / (5 * Workers);
            var refusals = new List<double>();
            // Bursts of four bodies at once, one burst every 250 ms (16 MB/s of abuse): an attack at a rate, not a closed
            // loop, which would only measure how fast two shared cores can receive megabytes.
            var abuse = Task.Run(async () =>
            {
                using var pace = new PeriodicTimer(BurstInterval);
                for (var burst = 0; burst < bursts; burst++)
                {
                    var answered = await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => SendAsync(http, body, code)));
                    lock (refusals)
                    {
                        refusals.AddRange(answered);
                    }
                    await pace.WaitForNextTickAsync();
                }
            });
            var underLoad = new List<double>();
            while (!abuse.IsCompleted)
            {
                underLoad.AddRange(await ProbeAsync(http, probe, 10));
            }
            await abuse;
            rows.Add(string.Create(c, $"| {name} | {body.Length / 1024.0 / 1024.0:F2} MB | `{code}` | {Percentile(refusals, 50):F1} | {refusals.Max():F1} | {cpu:F1} | {Percentile(underLoad, 50):F2} ({Percentile(underLoad, 50) / Percentile(idle, 50):F2}×) | {underLoad.Max():F1} |"));
        }
        var idleAfter = await ProbeAsync(http, probe, ProbeRequests * 5);
        var peak = gateway.PeakWorkingSetMegabytes();
        // The working set a few seconds after the abuse, once the garbage collector has had idle time to give memory back.
        var settled = new List<double>();
        for (var second = 0; second < 10; second++)
        {
            await ProbeAsync(http, probe, 1);
            await Task.Delay(TimeSpan.FromSeconds(1));
            settled.Add(gateway.WorkingSetMegabytes());
        }

        var text = new StringBuilder(Heading).AppendLine().AppendLine();
        text.AppendLine(c, $"Command: `dotnet run -c Release --project tests/Gateway.Benchmarks -- --abuse{(quick ? " --quick" : "")}` (also part of the full run).  ");
        text.AppendLine(c, $"The push-down gateway process; {bursts} bursts of {Workers} abusive bodies sent at once, a burst every {BurstInterval.TotalMilliseconds:F0} ms, while a probe sends");
        text.AppendLine(c, $"`{{__typename}}` one request at a time (idle p50 {Percentile(idle, 50):F2} ms over {idle.Count} requests just before, {Percentile(idleAfter, 50):F2} ms just after). Every abusive body was refused with HTTP 400 and the code shown.").AppendLine();
        text.AppendLine("| abusive body | size | refused with | refusal p50 ms | refusal max ms | gateway CPU ms per body | `{__typename}` p50 ms under load | probe max ms |");
        text.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|");
        rows.ForEach(row => text.AppendLine(row));
        text.AppendLine();
        text.AppendLine(c, $"Working set of the gateway process: {before:F0} MB before, peak (VmHWM) {peak:F0} MB, **{settled[^1]:F0} MB** 10 s after the abuse (samples: {string.Join(", ", settled.Select(s => s.ToString("F0", c)))}).");
        return text.ToString();
    }

    private static byte[] Body(object request) => JsonSerializer.SerializeToUtf8Bytes(request);

    private static async Task<double> SendAsync(HttpClient http, byte[] body, string expectedCode)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.PostAsync("graphql", Content(body));
        var answer = await response.Content.ReadAsStringAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.BadRequest || !answer.Contains(expectedCode, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"An abusive body got {(int)response.StatusCode}: {answer[..Math.Min(300, answer.Length)]}");
        }
        return elapsed;
    }

    private static async Task<List<double>> ProbeAsync(HttpClient http, byte[] body, int count)
    {
        var latencies = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync("graphql", Content(body));
            await response.Content.ReadAsByteArrayAsync();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            response.EnsureSuccessStatusCode();
        }
        return latencies;
    }

    private static ByteArrayContent Content(byte[] body) => new(body) { Headers = { ContentType = new("application/json") } };

    private static double Percentile(List<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
