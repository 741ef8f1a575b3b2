using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Archive;
using Gateway.Webhooks;
using MetaGraph.Emulator;
using MetaGraph.Emulator.Data;
using Microsoft.Data.Sqlite;
using Npgsql;
using StackExchange.Redis;

namespace Gateway.Benchmarks;

/// <summary>
/// The message archive end to end, the gateway as its own process: signed Meta deliveries POSTed to <c>/webhooks/meta</c>
/// flat out (the ingest rate an instance sustains) and then paced at the 2,000 events/s target (the lag from POST to row),
/// on SQLite, on PostgreSQL, and on PostgreSQL with Redis (the consumer group several instances share); the database's
/// size per 100,000 messages; and a 200-message thread read page by page, 30 of each 50 from the archive.
/// </summary>
internal static class ArchiveRun
{
    /// <summary>The section of <c>docs/archive.md</c> this mode writes.</summary>
    public const string Heading = "## Measurements";

    private const string AppSecret = "benchmark-app-secret";
    private const string VerifyToken = "benchmark-verify-token";
    private const int People = 100;
    private const int PerDelivery = 100;
    private const int TargetPerSecond = 2_000;
    private const int ThreadLength = 200;

    private static readonly string[] Words =
        ["hola", "order", "pedido", "refund", "שלום", "thanks", "Zoë", "delivery", "mañana", "🎉", "price", "size", "café", "tomorrow", "📦", "return"];

    public static async Task<string> RunAsync(bool quick)
    {
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var messages = quick ? 20_000 : 100_000;
        var paced = TimeSpan.FromSeconds(quick ? 5 : 15);
        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorOptions { ConversationsPerPlatform = People });
        var scenario = new Scenario(emulator, messages, paced);
        var folder = Directory.CreateTempSubdirectory("archive-benchmark-");
        var results = new List<Result> { await scenario.RunAsync("SQLite", $"Data Source={Path.Combine(folder.FullName, "archive.db")}", redis: null) };
        await using (var postgres = await PostgresServer.StartAsync(durable: true))
        {
            await postgres.CreateDatabaseAsync("archive_empty");
            await ArchiveDatabase.Open(postgres.ConnectionString("archive_empty", pooling: false)).MigrateAsync();
            await postgres.CreateDatabaseAsync("archive");
            results.Add(await scenario.RunAsync("PostgreSQL", postgres.ConnectionString("archive"), redis: null));
            await using var redis = await RedisProcess.StartAsync();
            await postgres.CreateDatabaseAsync("archive_redis");
            results.Add(await scenario.RunAsync("PostgreSQL + Redis", postgres.ConnectionString("archive_redis"), redis.ConnectionString));
        }
        folder.Delete(recursive: true);
        return Report(quick, load, messages, paced, results);
    }

    private sealed record Result(string Database, double FlatOutPerSecond, double? PublishedPerSecond, double PacedPerSecond, double LagP50,
        double LagP99, double LagMax, double MegabytesPer100k, Thread Thread);

    /// <summary>One ingest: messages a second to the last row, events a second the spine published (with Redis), the lags sorted.</summary>
    private sealed record Ingest(double PerSecond, double? PublishedPerSecond, List<double> Lags);

    /// <summary>The thread's reads, sorted: each page of 50, each whole thread (4 pages); Graph calls a page made.</summary>
    private sealed record Thread(List<double> PageMs, List<double> WholeMs, int GraphCallsPerPage);

    private sealed class Scenario(EmulatorProcess emulator, int messages, TimeSpan paced)
    {
        private readonly string _pageId = emulator.Seed[0].PageId;
        private readonly IReadOnlyList<string> _people = [.. emulator.Data.Pages[0].Folder(InboxPlatform.Messenger).Take(People).Select(c => c.Customer.Id)];
        private int _sequence;

        public async Task<Result> RunAsync(string name, string archive, string? redis)
        {
            var settings = new Dictionary<string, string>
            {
                ["ConnectionStrings__Archive"] = archive,
                ["Meta__AppSecret"] = AppSecret,
                ["Meta__Webhooks__VerifyToken"] = VerifyToken,
                // Room for a flat-out run's whole backlog, in the intake and in the archive's buffer (no Redis), so that the
                // run measures the database, not the bounds (past which the intake answers 503, and the buffer drops).
                ["Inbox__PageQueueCapacity"] = "1000000",
                ["Archive__EventBufferCapacity"] = "1000000",
            };
            if (redis is not null)
            {
                settings["ConnectionStrings__Redis"] = redis;
            }
            var store = new MessageArchive(ArchiveDatabase.Open(archive), TimeProvider.System);
            var pacedCount = (int)(TargetPerSecond * paced.TotalSeconds);
            using var stream = redis is null ? null : await ConnectionMultiplexer.ConnectAsync(redis);
            Result result;
            await using (var gateway = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed, settings))
            {
                Console.WriteLine($"{name}: ingest flat out");
                var flatOut = await IngestAsync(gateway, store, Deliveries(messages), pace: null, stream);
                Console.WriteLine($"{name}: ingest at {TargetPerSecond:N0}/s");
                var atTarget = await IngestAsync(gateway, store, Deliveries(pacedCount), pace: TimeSpan.FromSeconds((double)PerDelivery / TargetPerSecond), stream);
                Console.WriteLine($"{name}: a {ThreadLength}-message thread");
                var thread = await ReadThreadAsync(gateway, store);
                result = new Result(name, flatOut.PerSecond, flatOut.PublishedPerSecond, atTarget.PerSecond, Percentile(atTarget.Lags, 0.50),
                    Percentile(atTarget.Lags, 0.99), atTarget.Lags[^1], 0, thread);
            }
            return result with { MegabytesPer100k = await SizeAsync(archive) / 1024.0 / 1024.0 * 100_000 / (messages + pacedCount + ThreadLength) };
        }

        /// <summary>POSTs the deliveries (four at a time flat out, or one every <paramref name="pace"/>) and waits until every
        /// message is a row; the rate is messages over first POST to last row, the lag each message's row time less its POST's.
        /// With Redis, also the rate at which the spine published them to the stream of all events (first POST to the last
        /// one in the stream), which the archive's consumer group reads.</summary>
        private async Task<Ingest> IngestAsync(GatewayProcess gateway, MessageArchive store, List<(byte[] Body, string[] Mids)> deliveries,
            TimeSpan? pace, ConnectionMultiplexer? redis)
        {
            using var http = new HttpClient { BaseAddress = gateway.Address };
            var posted = new DateTimeOffset[deliveries.Count];
            var count = deliveries.Sum(delivery => delivery.Mids.Length);
            var alreadyPublished = redis is null ? 0 : await PublishedAsync(redis);
            var started = DateTimeOffset.UtcNow;
            var publishing = redis is null ? Task.FromResult<DateTimeOffset?>(null) : PublishedAtAsync(redis, alreadyPublished + count);
            if (pace is { } interval)
            {
                using var timer = new PeriodicTimer(interval);
                for (var index = 0; index < deliveries.Count; index++)
                {
                    posted[index] = await PostAsync(http, deliveries[index].Body);
                    await timer.WaitForNextTickAsync();
                }
            }
            else
            {
                var next = -1;
                await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
                {
                    for (var index = Interlocked.Increment(ref next); index < deliveries.Count; index = Interlocked.Increment(ref next))
                    {
                        posted[index] = await PostAsync(http, deliveries[index].Body);
                    }
                }));
            }
            var rows = await RowsAsync(store, deliveries.SelectMany(delivery => delivery.Mids).ToList());
            var lags = deliveries.SelectMany((delivery, index) => delivery.Mids.Select(mid => (rows[mid] - posted[index]).TotalMilliseconds)).Order().ToList();
            return new Ingest(count / (rows.Values.Max() - started).TotalSeconds,
                await publishing is { } published ? count / (published - started).TotalSeconds : null, lags);
        }

        /// <summary>When the stream of all events has had <paramref name="events"/> added, ever.</summary>
        private static async Task<DateTimeOffset?> PublishedAtAsync(ConnectionMultiplexer redis, long events)
        {
            while (await PublishedAsync(redis) < events)
            {
                await Task.Delay(20);
            }
            return DateTimeOffset.UtcNow;
        }

        /// <summary>Events ever added to the stream of all events (<c>XINFO STREAM</c>'s <c>entries-added</c>: trimming does
        /// not lower it).</summary>
        private static async Task<long> PublishedAsync(ConnectionMultiplexer redis)
        {
            var info = (RedisResult[])(await redis.GetDatabase().ExecuteAsync("XINFO", "STREAM", "gateway:inbox-events"))!;
            for (var index = 0; index < info.Length; index += 2)
            {
                if (info[index].ToString() == "entries-added")
                {
                    return (long)info[index + 1];
                }
            }
            throw new InvalidOperationException("XINFO STREAM gave no entries-added (Redis 7 or later gives it).");
        }

        /// <summary>When each message became a row, once all have: the last ones are waited for (a batch is written in
        /// order), then every row's time is read, once.</summary>
        private static async Task<Dictionary<string, DateTimeOffset>> RowsAsync(MessageArchive store, List<string> mids)
        {
            var deadline = DateTime.UtcNow.AddMinutes(10);
            var rows = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            while (rows.Count < mids.Count)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{mids.Count - rows.Count} of {mids.Count} messages were not archived within 10 minutes.");
                }
                await Task.Delay(200);
                if ((await store.GetMessagesAsync(mids[^PerDelivery..])).Count < PerDelivery)
                {
                    continue;
                }
                foreach (var chunk in mids.Where(mid => !rows.ContainsKey(mid)).Chunk(5_000))
                {
                    foreach (var (id, stored) in await store.GetMessagesAsync(chunk))
                    {
                        rows[id] = stored.FirstSeen;
                    }
                }
            }
            return rows;
        }

        /// <summary>A new person writes <see cref="ThreadLength"/> messages through the emulator (which posts its webhooks to
        /// the gateway); once the archive holds them, the thread is read 50 at a time, 20 times over (after one round to warm
        /// up), without the cache.</summary>
        private async Task<Thread> ReadThreadAsync(GatewayProcess gateway, MessageArchive store)
        {
            await emulator.ConfigureAsync(new EmulatorRuntimeConfig(WebhookUrl: new Uri(gateway.Address, "webhooks/meta").ToString(),
                AppSecret: AppSecret, WebhookVerifyToken: VerifyToken));
            using var live = new HttpClient { BaseAddress = emulator.BaseAddress };
            var first = (await WriteAsync(live, [new { pageId = _pageId, platform = "messenger", userId = (string?)null, text = "message 1" }]))[0];
            var conversation = first.GetProperty("conversationId").GetString()!;
            var person = first.GetProperty("userId").GetString();
            await WriteAsync(live, [.. Enumerable.Range(2, ThreadLength - 1).Select(index => new { pageId = _pageId, platform = "messenger", userId = person, text = $"message {index}" })]);
            while (await store.CountMessagesAsync(conversation) < ThreadLength)
            {
                await Task.Delay(100);
            }
            using var http = new HttpClient { BaseAddress = gateway.Address };
            http.DefaultRequestHeaders.Authorization = new("Bearer", emulator.Seed[0].AccessToken);
            var thread = new Thread([], [], 0);
            for (var round = 0; round <= 20; round++)
            {
                await emulator.ResetRequestsAsync();
                var whole = Stopwatch.StartNew();
                string? after = null;
                for (var page = 0; page < ThreadLength / 50; page++)
                {
                    var clock = Stopwatch.StartNew();
                    after = await ReadPageAsync(http, conversation, after);
                    if (round > 0)
                    {
                        thread.PageMs.Add(clock.Elapsed.TotalMilliseconds);
                    }
                }
                if (round > 0)
                {
                    thread.WholeMs.Add(whole.Elapsed.TotalMilliseconds);
                }
                thread = thread with { GraphCallsPerPage = (await emulator.RequestsAsync()).Count / (ThreadLength / 50) };
            }
            thread.PageMs.Sort();
            thread.WholeMs.Sort();
            return thread;
        }

        /// <summary>Reads a page of 50; returns its end cursor. Every message must have details.</summary>
        private static async Task<string?> ReadPageAsync(HttpClient http, string conversation, string? after)
        {
            const string query = "query($id: ID!, $after: String) { conversation(id: $id) { messages(first: 50, after: $after) { pageInfo { endCursor } nodes { metaId createdTime from { id } message detailsSource } } } }";
            using var response = await http.PostAsJsonAsync("graphql", new { query, variables = new { id = conversation, after } });
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var messages = answer.RootElement.GetProperty("data").GetProperty("conversation").GetProperty("messages");
            if (messages.GetProperty("nodes").EnumerateArray().Any(node => node.GetProperty("detailsSource").GetString() == "UNAVAILABLE"))
            {
                throw new InvalidOperationException("A message of the thread was served without details.");
            }
            return messages.GetProperty("pageInfo").GetProperty("endCursor").GetString();
        }

        private static async Task<JsonElement> WriteAsync<T>(HttpClient emulator, T[] changes)
        {
            using var response = await emulator.PostAsJsonAsync("_emulator/messages", changes);
            response.EnsureSuccessStatusCode();
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return answer.RootElement.Clone();
        }

        /// <summary>Messages as webhooks deliver them, <see cref="PerDelivery"/> to a POST: the people in turn, texts of 3 to 20
        /// words in several scripts, one in ten with an image.</summary>
        private List<(byte[] Body, string[] Mids)> Deliveries(int count)
        {
            var random = new Random(7 + _sequence);
            var first = _sequence;
            _sequence += count;
            return [.. Enumerable.Range(first, count).Chunk(PerDelivery).Select(chunk =>
            {
                var mids = chunk.Select(index => $"m_archive_benchmark_{index:D7}").ToArray();
                var messaging = chunk.Select((index, i) => new
                {
                    sender = new { id = _people[index % People] },
                    recipient = new { id = _pageId },
                    timestamp = 1_800_000_000_000L + index,
                    message = new
                    {
                        mid = mids[i],
                        text = string.Join(' ', Enumerable.Range(0, random.Next(3, 21)).Select(_ => Words[random.Next(Words.Length)])),
                        attachments = index % 10 == 0 ? new[] { new { type = "image", payload = new { url = $"https://cdn.example/{index}.jpg" } } } : [],
                    },
                });
                var body = JsonSerializer.SerializeToUtf8Bytes(new { @object = "page", entry = new[] { new { id = _pageId, time = 1_800_000_000_000L, messaging } } });
                return (body, mids);
            })];
        }

        /// <summary>POSTs a signed delivery, again while the gateway answers 503 (as Meta retries); returns when it was first sent.</summary>
        private static async Task<DateTimeOffset> PostAsync(HttpClient http, byte[] body)
        {
            var sent = DateTimeOffset.UtcNow;
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/meta") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(body, AppSecret));
                using var response = await http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    response.EnsureSuccessStatusCode();
                    return sent;
                }
                await Task.Delay(50);
            }
        }

    }

    /// <summary>The database's room: SQLite's file once its write-ahead log is folded in; PostgreSQL's database less an empty
    /// migrated one (tables, indexes, GIN and TOAST included).</summary>
    private static async Task<long> SizeAsync(string archive)
    {
        if (ArchiveDatabase.DetectProvider(archive) == ArchiveProvider.Sqlite)
        {
            await using var sqlite = new SqliteConnection(archive);
            await sqlite.OpenAsync();
            await using var checkpoint = sqlite.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync();
            return new FileInfo(sqlite.DataSource).Length;
        }
        await using var postgres = new NpgsqlConnection(archive);
        await postgres.OpenAsync();
        await using var size = new NpgsqlCommand("SELECT pg_database_size(current_database()) - pg_database_size('archive_empty')", postgres);
        return (long)(await size.ExecuteScalarAsync())!;
    }

    private static double Percentile(List<double> sorted, double percentile) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * percentile))];

    private static string Report(bool quick, string load, int messages, TimeSpan paced, List<Result> results)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(Heading).AppendLine();
        text.AppendLine(c, $"`dotnet run -c Release --project tests/Gateway.Benchmarks -- --archive{(quick ? " --quick" : "")}`, {DateTime.UtcNow:yyyy-MM-dd}; load average {load} when it");
        text.AppendLine("started, on two shared cores. The gateway (Release) and the emulator run as their own processes; the harness posts signed");
        text.AppendLine(c, $"deliveries of {PerDelivery} messages to `/webhooks/meta` ({People} seeded people in turn; texts of 3 to 20 words in English, Spanish,");
        text.AppendLine(c, $"Hebrew and emoji; one in ten with an image). *Flat out*: {messages:N0} messages, four deliveries at a time; rate = messages /");
        text.AppendLine(c, $"(first POST to last row). *At {TargetPerSecond:N0}/s*: {paced.TotalSeconds:0} s of deliveries, one every {1000.0 * PerDelivery / TargetPerSecond:0} ms; lag = a row's `first_seen`");
        text.AppendLine("less its POST's start. SQLite in write-ahead mode with `synchronous = NORMAL`; PostgreSQL 15 with its default durability (`fsync`");
        text.AppendLine("on). Without Redis the spine hands events to the archive's in-process buffer; with Redis, the consumer group (`InboxArchiver`)");
        text.AppendLine("writes each read of the stream in one transaction. Size: SQLite's file after a checkpoint; PostgreSQL's database less an");
        text.AppendLine("empty migrated one (tables, indexes, GIN and TOAST).").AppendLine();
        text.AppendLine("| database | flat out, messages/s | flat out, published by the spine, events/s | at 2,000/s, messages/s | lag p50 ms | lag p99 ms | lag max ms | size per 100,000 messages |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(c, $"| {r.Database} | {r.FlatOutPerSecond:N0} | {(r.PublishedPerSecond is { } published ? published.ToString("N0", c) : "—")} | {r.PacedPerSecond:N0} | {r.LagP50:N0} | {r.LagP99:N0} | {r.LagMax:N0} | {r.MegabytesPer100k:F1} MiB |");
        }
        text.AppendLine().AppendLine(c, $"A {ThreadLength}-message thread written through the emulator (so that Meta lists every id) and archived from its webhooks, read");
        text.AppendLine("50 messages a page, 20 times over, without the gateway's cache: each page is one Graph call for the page of ids (with the");
        text.AppendLine("details of the 20 most recent on the first page); the other details (30 of the first page, all 50 of the others) are the");
        text.AppendLine("archive's, one query a page.").AppendLine();
        text.AppendLine("| database | page p50 ms | page p99 ms | whole thread p50 ms | whole thread p99 ms | Graph calls per page |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(c, $"| {r.Database} | {Percentile(r.Thread.PageMs, 0.50):F1} | {Percentile(r.Thread.PageMs, 0.99):F1} | {Percentile(r.Thread.WholeMs, 0.50):F1} | {Percentile(r.Thread.WholeMs, 0.99):F1} | {r.Thread.GraphCallsPerPage} |");
        }
        return text.ToString();
    }
}
