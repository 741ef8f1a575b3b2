using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MetaGraph.Emulator;
using MetaGraph.Emulator.Data;

namespace Gateway.Benchmarks;

/// <summary>
/// Webhook to subscriber: a signed Meta delivery POSTed to the gateway (its own process) and the time until each of N
/// WebSocket subscribers has the event, one event at a time; and the gateway's resident memory per idle subscriber.
/// </summary>
internal static class SubscriptionRun
{
    private const string AppSecret = "benchmark-app-secret";
    private const string Query = "subscription($page: ID!) { messageReceived(pageId: $page) { id metaId createdTime from { id name } message } }";

    public static async Task<string> RunAsync(bool quick)
    {
        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorOptions { LatencyMs = 20 });
        await using var gateway = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed, new Dictionary<string, string>
        {
            ["Meta__AppSecret"] = AppSecret,
            ["Meta__Webhooks__VerifyToken"] = "benchmark-verify-token",
        });
        var page = emulator.Seed[0];
        var person = emulator.Data.Pages[0].Conversations.First(c => c.Platform == InboxPlatform.Messenger).Customer.Id;
        using var http = new HttpClient { BaseAddress = gateway.Address };
        var report = new StringBuilder();
        report.AppendLine("# Webhook → subscriber latency").AppendLine();
        report.AppendLine($"`dotnet run -c Release --project tests/Gateway.Benchmarks -- --subscriptions{(quick ? " --quick" : "")}`, {DateTime.UtcNow:yyyy-MM-dd}. The gateway runs as its own process;");
        report.AppendLine("this process POSTs signed Meta deliveries (one message each) and holds every WebSocket subscriber (`graphql-transport-ws`,");
        report.AppendLine($"`{Query}`), all on the same two shared cores. Latency: from sending the POST to a subscriber having the `next` message,");
        report.AppendLine("one event at a time, over every subscriber and event. Memory: the gateway's resident set growth with the subscribers");
        report.AppendLine("connected and idle, divided by their number (after one warm-up event). The person is known (0 Graph calls per event).");
        report.AppendLine("Identical subscriptions with the same credentials share one execution; the *distinct* row gives every subscriber its own");
        report.AppendLine("operation name, so nothing is shared. CPU: the gateway's and this harness's processor time over the timed events, per");
        report.AppendLine("event, which the machine's other load disturbs far less than latency does.");
        report.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Load average when the run started: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} (on two cores).")).AppendLine();
        report.AppendLine("| subscribers | events | p50 ms | p99 ms | max ms | gateway CPU ms per event | harness CPU ms per event | memory per idle subscriber |");
        report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        var sequence = 0;
        foreach (var (count, events, distinct) in quick
            ? [(1, 20, false), (100, 20, false), (1000, 10, false), (1000, 10, true)]
            : new[] { (1, 200, false), (100, 100, false), (1000, 50, false), (1000, 50, true) })
        {
            var before = gateway.WorkingSetMegabytes();
            var subscribers = new List<Subscriber>();
            for (var i = 0; i < count; i += 50)
            {
                subscribers.AddRange(await Task.WhenAll(Enumerable.Range(i, Math.Min(50, count - i)).Select(n => Subscriber.ConnectAsync(gateway.Address, page, Query, "messageReceived", "metaId", distinct ? $"S{n}" : null))));
            }
            // Subscribing completes asynchronously: warm-up events go out until every subscriber has had one.
            while (!subscribers.All(s => s.Ready.IsCompleted))
            {
                await PostAsync(http, page.PageId, person, $"m_bench_{sequence++}");
                await Task.WhenAny(Task.WhenAll(subscribers.Select(s => s.Ready)), Task.Delay(500));
            }
            // One subscriber's growth is mostly the first subscription's code paths warming up, not the subscriber.
            var idleKilobytes = count > 1 ? string.Create(CultureInfo.InvariantCulture, $"{(gateway.WorkingSetMegabytes() - before) * 1024 / count:F1} KB") : "—";
            var samples = new List<double>(count * events);
            var (gatewayCpu, harnessCpu) = (gateway.CpuTime(), Process.GetCurrentProcess().TotalProcessorTime);
            for (var e = 0; e < events; e++)
            {
                samples.AddRange(await DeliverAsync(http, page.PageId, person, $"m_bench_{sequence++}", subscribers));
            }
            (gatewayCpu, harnessCpu) = (gateway.CpuTime() - gatewayCpu, Process.GetCurrentProcess().TotalProcessorTime - harnessCpu);
            foreach (var subscriber in subscribers)
            {
                await subscriber.DisposeAsync();
            }
            samples.Sort();
            report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {count:N0}{(distinct ? " distinct" : "")} | {events} | {Percentile(samples, 0.50):F1} | {Percentile(samples, 0.99):F1} | {samples[^1]:F1} | {gatewayCpu.TotalMilliseconds / events:F1} | {harnessCpu.TotalMilliseconds / events:F1} | {idleKilobytes} |"));
            Console.WriteLine($"{count}{(distinct ? " distinct" : "")} subscribers done");
        }
        return report.ToString();
    }

    /// <summary>POSTs one signed message and returns, per subscriber, the milliseconds until it had the event.</summary>
    private static async Task<IEnumerable<double>> DeliverAsync(HttpClient http, string pageId, string person, string mid, IReadOnlyList<Subscriber> subscribers)
    {
        var sent = await PostAsync(http, pageId, person, mid);
        var received = await Task.WhenAll(subscribers.Select(s => s.NextAsync(mid)));
        return received.Select(at => Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
    }

    /// <summary>POSTs one signed message; returns when it was sent.</summary>
    private static async Task<long> PostAsync(HttpClient http, string pageId, string person, string mid)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            @object = "page",
            entry = new[]
            {
                new
                {
                    id = pageId, time = timestamp,
                    messaging = new[] { new { sender = new { id = person }, recipient = new { id = pageId }, timestamp, message = new { mid, text = "Is this still available?" } } },
                },
            },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/meta") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AppSecret), body)));
        var sent = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return sent;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
