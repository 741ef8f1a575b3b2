using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetaGraph.Emulator;

namespace Gateway.Benchmarks;

/// <summary>
/// Replies through the gateway (issue 19's numbers): the gateway's overhead per send against the same Send API request POSTed
/// straight to the emulator, sends a second per Page against Meta's 300, and how soon a subscriber hears of a message the
/// gateway sent (it publishes the message as its echo at once; Meta's echo webhook is then dropped as a duplicate).
/// </summary>
internal static class SendRun
{
    public const string Heading = "## Replies (Send API)";
    private const string AppSecret = "benchmark-app-secret";
    private const string VerifyToken = "benchmark-verify-token";
    private const int People = 100;
    private const string Mutation = "mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { metaId } errors { __typename ... on Error { message } } } }";
    private const string Subscription = "subscription($page: ID!) { messageEvents(pageId: $page) { kind messageId } }";

    public static async Task<string> RunAsync(bool quick, int latencyMs)
    {
        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorOptions { LatencyMs = latencyMs });
        await using var gateway = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed, new Dictionary<string, string>
        {
            ["Meta__AppSecret"] = AppSecret,
            ["Meta__Webhooks__VerifyToken"] = VerifyToken,
        });
        await emulator.ConfigureAsync(new EmulatorRuntimeConfig(WebhookUrl: new Uri(gateway.Address, "webhooks/meta").ToString(), AppSecret: AppSecret,
            WebhookVerifyToken: VerifyToken, SendCallsPerSecond: 300, SendMediaCallsPerSecond: 10, ThreadMessagesPerMinute: 60));
        var page = emulator.Seed[0];
        // New people (the seeded Page has 24 on Messenger): each thread's minute allows 60 messages.
        var people = Enumerable.Range(0, People).Select(i => $"5552000000{i:D5}").ToList();
        using var http = new HttpClient { BaseAddress = gateway.Address };
        using var direct = new HttpClient { BaseAddress = emulator.BaseAddress };
        var key = 0;
        (await direct.PostAsJsonAsync("_emulator/messages", people.Select(userId => new { pageId = page.PageId, platform = "messenger", userId, text = "Hello?" })))
            .EnsureSuccessStatusCode();
        // Warm-up: one reply to each person (the first may read the thread, when its webhook had not yet arrived).
        await Task.WhenAll(people.Select(person => SendThroughGatewayAsync(http, page, person, $"warm-{key++}")));

        // Throughput: a burst to many people at once, paced by the gateway to the Page's 300 a second. First, while every send
        // so far went through the gateway: the direct POSTs below spend the Page's allowance behind the gateway's back.
        var burst = quick ? 1_000 : 3_000;
        using var reader = new LoadGenerator(gateway.Address, page.AccessToken);
        var inbox = Inbox.Operation(page.PageId);
        var readsBefore = await ReadLatenciesAsync(reader, inbox, until: null, reads: 30);
        var next = -1;
        var refused = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var clock = Stopwatch.StartNew();
        var sending = Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            for (var n = Interlocked.Increment(ref next); n < burst; n = Interlocked.Increment(ref next))
            {
                var answer = await PostMutationAsync(http, page, people[n % people.Count], $"burst-{n}");
                if (answer.Errors is not null)
                {
                    refused.AddOrUpdate(ErrorKind(answer.Errors), 1, (_, count) => count + 1);
                }
            }
        }));
        var readsDuring = await ReadLatenciesAsync(reader, inbox, until: sending, reads: null);
        await sending;
        var sendsPerSecond = burst / clock.Elapsed.TotalSeconds;

        // Meta's one-second window of the burst's sends empties, so that the direct POSTs are not refused.
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // Overhead: one send at a time, alternating the gateway and a direct POST, to people in turn (each thread's minute
        // allows 60; a person gets at most one of each per round).
        var rounds = quick ? 100 : 400;
        var (viaGateway, straight) = (new List<double>(rounds), new List<double>(rounds));
        for (var i = 0; i < rounds; i++)
        {
            var person = people[i % people.Count];
            viaGateway.Add(await SendThroughGatewayAsync(http, page, person, $"overhead-{key++}"));
            straight.Add(await SendDirectAsync(direct, page, person));
        }

        // Echo to subscriber: one send at a time, the time from the mutation's POST to the subscriber's event.
        var echoes = new List<double>();
        await using (var subscriber = await Subscriber.ConnectAsync(gateway.Address, page, Subscription, "messageEvents", "messageId"))
        {
            // Subscribing completes asynchronously: warm-up sends go out until the subscriber has had one.
            while (!subscriber.Ready.IsCompleted)
            {
                await PostMutationAsync(http, page, people[0], $"echo-warm-{key++}");
                await Task.WhenAny(subscriber.Ready, Task.Delay(500));
            }
            for (var i = 0; i < (quick ? 50 : 200); i++)
            {
                var sent = Stopwatch.GetTimestamp();
                var answer = await PostMutationAsync(http, page, people[i % people.Count], $"echo-{key++}");
                var heard = await subscriber.NextAsync(answer.MessageId ?? throw new InvalidOperationException(answer.Errors));
                echoes.Add(Stopwatch.GetElapsedTime(sent, heard).TotalMilliseconds);
            }
        }

        viaGateway.Sort();
        straight.Sort();
        echoes.Sort();
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(Heading).AppendLine();
        text.AppendLine(c, $"`dotnet run -c Release --project tests/Gateway.Benchmarks -- --send{(quick ? " --quick" : "")} --latency-ms {latencyMs}`, {DateTime.UtcNow:yyyy-MM-dd}.");
        text.AppendLine(c, $"The gateway and the emulator (Meta's latency {latencyMs} ms, its Send API at 300 a second per Page, 60 a minute per thread) run as");
        text.AppendLine("processes of their own, on the same two shared cores as this harness. `sendMessage` to a person who wrote (by Page, platform and");
        text.AppendLine("PSID; the gateway knows the window from the webhook: no read), each with its own `idempotencyKey`, against the same Send API");
        text.AppendLine(c, $"request POSTed straight to the emulator; load average when the run started: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}.").AppendLine();
        text.AppendLine("| measure | p50 | p99 |");
        text.AppendLine("|---|---:|---:|");
        text.AppendLine(c, $"| direct POST to the emulator, ms ({rounds} sends) | {Percentile(straight, 0.50):F1} | {Percentile(straight, 0.99):F1} |");
        text.AppendLine(c, $"| `sendMessage` through the gateway, ms ({rounds} sends) | {Percentile(viaGateway, 0.50):F1} | {Percentile(viaGateway, 0.99):F1} |");
        text.AppendLine(c, $"| added by the gateway, ms | {Percentile(viaGateway, 0.50) - Percentile(straight, 0.50):F1} | {Percentile(viaGateway, 0.99) - Percentile(straight, 0.99):F1} |");
        text.AppendLine(c, $"| gateway ÷ direct | {Percentile(viaGateway, 0.50) / Percentile(straight, 0.50):F2}× | {Percentile(viaGateway, 0.99) / Percentile(straight, 0.99):F2}× |");
        text.AppendLine(c, $"| POST of `sendMessage` → a `messageEvents` subscriber has it, ms ({echoes.Count} sends) | {Percentile(echoes, 0.50):F1} | {Percentile(echoes, 0.99):F1} |");
        text.AppendLine();
        text.AppendLine(c, $"A burst of {burst:N0} sends by 32 concurrent clients to {People} people of one Page: **{sendsPerSecond:F0} sends a second** (Meta's");
        text.AppendLine(c, $"allowance: 300); answered with errors: {(refused.IsEmpty ? "none" : string.Join(", ", refused.Select(r => $"{r.Value} {r.Key}")))} (Meta refuses past 300 in a second; the gateway paces to it).");
        text.AppendLine(c, $"Inbox reads (`inbox.graphql`, one Graph call each, no cache) one after another meanwhile: p50 {Percentile(readsDuring, 0.50):F1} ms, p90");
        text.AppendLine(c, $"{Percentile(readsDuring, 0.90):F1} ms ({readsDuring.Count} reads), against p50 {Percentile(readsBefore, 0.50):F1} ms, p90 {Percentile(readsBefore, 0.90):F1} ms before the burst.");
        text.AppendLine("A send holds its place in the Page's window from when it leaves until a second after its answer (Meta counts it somewhere");
        text.AppendLine("in between), so a Page's sends top out a little below 300 a second; the rest is this machine's two shared cores.");
        return text.ToString();
    }

    private static async Task<double> SendThroughGatewayAsync(HttpClient http, SeedPage page, string person, string key)
    {
        var started = Stopwatch.GetTimestamp();
        var answer = await PostMutationAsync(http, page, person, key);
        if (answer.Errors is not null)
        {
            throw new InvalidOperationException($"sendMessage failed: {answer.Errors}");
        }
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<(string? MessageId, string? Errors)> PostMutationAsync(HttpClient http, SeedPage page, string person, string key)
    {
        var recipient = new { pageId = page.PageId, platform = "MESSENGER", userId = person };
        using var request = new HttpRequestMessage(HttpMethod.Post, "graphql")
        {
            Content = JsonContent.Create(new { query = Mutation, variables = new { input = new { recipient, text = "Thanks, on its way.", idempotencyKey = key } } }),
        };
        request.Headers.Authorization = new("Bearer", page.AccessToken);
        using var response = await http.SendAsync(request);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var payload = answer["data"]?["sendMessage"];
        var errors = answer["errors"] ?? payload?["errors"];
        return (payload?["message"]?["metaId"]?.GetValue<string>(), errors?.ToJsonString());
    }

    /// <summary>Inbox reads one after another: <paramref name="reads"/> of them, or until <paramref name="until"/> is done;
    /// their latencies in ms, sorted.</summary>
    private static async Task<List<double>> ReadLatenciesAsync(LoadGenerator reader, Operation inbox, Task? until, int? reads)
    {
        var latencies = new List<double>();
        while (reads is { } count ? latencies.Count < count : !until!.IsCompleted)
        {
            var started = Stopwatch.GetTimestamp();
            await reader.QueryAsync(inbox);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        latencies.Sort();
        return latencies;
    }

    /// <summary>An answer's first error: its typed error's <c>__typename</c>, or a GraphQL error's code.</summary>
    private static string ErrorKind(string errors)
    {
        var first = JsonNode.Parse(errors)![0]!;
        return first["__typename"]?.GetValue<string>() ?? first["extensions"]?["code"]?.GetValue<string>() ?? first["message"]!.GetValue<string>();
    }

    private static async Task<double> SendDirectAsync(HttpClient emulator, SeedPage page, string person)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["access_token"] = page.AccessToken,
            ["recipient"] = JsonSerializer.Serialize(new { id = person }),
            ["messaging_type"] = "RESPONSE",
            ["message"] = JsonSerializer.Serialize(new { text = "Thanks, on its way." }),
        });
        var started = Stopwatch.GetTimestamp();
        using var response = await emulator.PostAsync($"v25.0/{page.PageId}/messages", form);
        await response.Content.ReadAsByteArrayAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        return elapsed;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
