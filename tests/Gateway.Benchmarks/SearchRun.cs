using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gateway.Archive;
using MetaGraph;

namespace Gateway.Benchmarks;

/// <summary>
/// Full-text search over a large archive, on SQLite and on PostgreSQL: the archive filled straight through the store's upsert
/// in batches (as webhooks and syncs fill it), then one searcher after another through <see cref="MessageArchive.SearchAsync"/>
/// (what <c>page.searchMessages</c> runs; the GraphQL layer adds one lookup of the page's hits by id), timing each.
/// </summary>
public static class SearchRun
{
    public const string Heading = "## Measured: search";

    /// <summary>Pages the archive's messages are spread over, unless <c>--pages</c> says otherwise.</summary>
    public const int DefaultPages = 10;
    private const int Batch = 2_000;
    private const int QueriesPerKind = 100;

    public static async Task<string> RunAsync(int messages, int pages = DefaultPages)
    {
        var corpus = new Corpus(messages, pages);
        var rows = new List<string>();
        var folder = Directory.CreateTempSubdirectory("search-benchmark-");
        try
        {
            rows.AddRange(await MeasureAsync("SQLite", $"Data Source={Path.Combine(folder.FullName, "archive.db")}", corpus));
            await using var postgres = await PostgresServer.StartAsync();
            await postgres.CreateDatabaseAsync("archive");
            rows.AddRange(await MeasureAsync("PostgreSQL", postgres.ConnectionString("archive"), corpus));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Npgsql.NpgsqlConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
        return Report(messages, corpus, rows);
    }

    private static async Task<IReadOnlyList<string>> MeasureAsync(string name, string connectionString, Corpus corpus)
    {
        var database = ArchiveDatabase.Open(connectionString);
        await database.MigrateAsync();
        var archive = new MessageArchive(database, TimeProvider.System);
        var load = SideBySide.LoadAverage();
        var clock = Stopwatch.StartNew();
        foreach (var batch in corpus.Messages().Chunk(Batch))
        {
            await archive.UpsertMessagesAsync(batch);
        }
        var ingest = clock.Elapsed;
        Console.Error.WriteLine($"{name}: {corpus.Count:N0} messages written in {ingest.TotalSeconds:F0} s");
        if (database.Provider == ArchiveProvider.PostgreSql)
        {
            // As autovacuum would have by the time anyone searches: the planner's statistics of a freshly filled table.
            await using var context = database.CreateContext();
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(context.Database, "VACUUM ANALYZE messages");
        }
        var rows = new List<string>();
        var all = new List<double>();
        foreach (var (kind, queries) in corpus.Queries())
        {
            // Warm: the index pages a searcher of this kind touches are in memory, as on a server that serves searches.
            foreach (var query in queries.Take(10))
            {
                await SearchAsync(archive, query);
            }
            var times = new List<double>();
            var hits = 0;
            foreach (var query in queries.Skip(10))
            {
                var started = Stopwatch.GetTimestamp();
                hits += await SearchAsync(archive, query);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            all.AddRange(times);
            rows.Add(Row(name, kind, times, hits / (double)times.Count));
        }
        rows.Add(Row(name, "**all kinds**", all, double.NaN) + string.Create(CultureInfo.InvariantCulture,
            $" written in {ingest.TotalSeconds:F0} s ({corpus.Count / ingest.TotalSeconds:N0}/s), load {load} → {SideBySide.LoadAverage()} |"));
        return rows;
    }

    /// <summary>One search of the first Page's messages, first page of 10 hits with snippets; how many it found.</summary>
    private static async Task<int> SearchAsync(MessageArchive archive, string query)
        => (await archive.SearchAsync(new MessageSearchRequest(query, [Corpus.PageId(0)]) { First = 10 })).Edges.Count;

    private static string Row(string database, string kind, List<double> times, double hits)
    {
        var result = new LoadResult([.. times], TimeSpan.Zero);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {database} | {kind} | {times.Count} | {(double.IsNaN(hits) ? "" : hits.ToString("F1", CultureInfo.InvariantCulture))} | **{result.Percentile(50):F1}** | {result.Percentile(99):F1} |");
    }

    private static string Report(int messages, Corpus corpus, List<string> rows)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(Heading).AppendLine();
        text.AppendLine(c, $"Command: `dotnet run -c Release --project tests/Gateway.Benchmarks -- --search{(messages == 1_000_000 ? "" : $" --messages {messages}")}{(corpus.Pages == DefaultPages ? "" : $" --pages {corpus.Pages}")}`, {DateTime.UtcNow:yyyy-MM-dd}, one run.  ");
        text.AppendLine(c, $"{messages:N0} messages on {corpus.Pages} Pages ({messages / corpus.Pages:N0} each), written through `MessageArchive.UpsertMessagesAsync` in batches of {Batch:N0}:");
        text.AppendLine(c, $"3 to 20 words drawn from a {corpus.VocabularySize:N0}-word vocabulary by a Zipf law (English, Spanish with accents, Hebrew, emoji among the");
        text.AppendLine("most frequent), one message in ten with an order number (`LX` and five digits), one in eight with an emoji. Then one");
        text.AppendLine(c, $"searcher after another on one Page, {QueriesPerKind} queries of each kind (after 10 to warm up), `first: 10` with snippets;");
        text.AppendLine("times are `SearchAsync` end to end in the harness's process. SQLite as the gateway runs it (WAL, `synchronous=NORMAL`, `mmap_size` 1 GiB);");
        text.AppendLine("PostgreSQL 15 with `fsync` off (writes go faster, searches are the same) after `VACUUM ANALYZE`. Everything on this");
        text.AppendLine("2-core machine, shared with other builds (load average in the last column).").AppendLine();
        text.AppendLine("| database | query kind | queries | hits returned (of 10) | p50 ms | p99 ms |");
        text.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            text.AppendLine(row);
        }
        text.AppendLine();
        text.AppendLine("Query kinds (each word's share of messages is the Zipf law's):").AppendLine();
        foreach (var (kind, description) in Corpus.KindDescriptions)
        {
            text.AppendLine(c, $"- **{kind}**: {description}");
        }
        return text.ToString();
    }

    /// <summary>The generated archive and the queries against it; the same count gives the same messages and queries.</summary>
    private sealed class Corpus(int count, int pages)
    {
        private static readonly string[] Common =
        [
            "the", "my", "order", "hola", "thanks", "is", "to", "pedido", "please", "when", "שלום", "delivery", "gracias", "size", "price",
            "café", "mañana", "return", "refund", "tomorrow", "Zoë", "está", "dónde", "תודה", "shipping", "color", "available", "still",
            "package", "address", "número", "envío", "הזמנה", "cancel", "exchange", "talla", "🎉", "📦", "❤️", "🙏",
        ];

        private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public static readonly (string Kind, string Description)[] KindDescriptions =
        [
            ("frequent word", "one of the 10 most frequent words: `the` is in two messages of three, the tenth word in one of ten"),
            ("common word", "ranks 50 to 200: each in 0.5 % to 2 % of messages"),
            ("rare word", "ranks 5,000 to 20,000: each in 50 to 250 messages of a million"),
            ("order number", "`LX12345`: one message in ten has one of 100,000, so about one message of the Page each"),
            ("two words", "a frequent and a common word, both required"),
            ("phrase", "two words side by side in a message, in quotes"),
            ("prefix", "the first four letters of a common word, with `*`"),
        ];

        private readonly string[] _vocabulary = [.. Common, .. Synthetic(20_000)];
        private readonly double[] _cumulative = Zipf(Common.Length + 20_000);

        public int Count => count;

        public int Pages => pages;

        public int VocabularySize => _vocabulary.Length;

        public static string PageId(int index) => $"1049{index:D11}";

        public IEnumerable<ArchivedMessage> Messages()
        {
            var random = new Random(20261207);
            for (var index = 0; index < count; index++)
            {
                yield return new ArchivedMessage
                {
                    Id = $"m_{index:D8}",
                    ConversationId = $"t_{index / 25:D7}",
                    PageId = PageId(index / 25 % pages),
                    Platform = index % 3 == 0 ? Platform.Instagram : Platform.Messenger,
                    CreatedTime = Start.AddSeconds(index * 17),
                    Sources = MessageSources.Webhook,
                    From = new Participant { Id = $"person_{index / 25:D7}" },
                    Text = Text(random),
                };
            }
        }

        private string Text(Random random)
        {
            var words = Enumerable.Range(0, random.Next(3, 21)).Select(_ => Word(random)).ToList();
            if (random.Next(10) == 0)
            {
                words.Insert(random.Next(words.Count), string.Create(CultureInfo.InvariantCulture, $"LX{random.Next(100_000):D5}"));
            }
            if (random.Next(8) == 0)
            {
                words.Add("🙂");
            }
            return string.Join(' ', words);
        }

        private string Word(Random random)
        {
            var at = Array.BinarySearch(_cumulative, random.NextDouble());
            return _vocabulary[Math.Min(at < 0 ? ~at : at, _vocabulary.Length - 1)];
        }

        public IEnumerable<(string Kind, List<string> Queries)> Queries()
        {
            var random = new Random(7);
            List<string> Draw(Func<string> query) => [.. Enumerable.Range(0, QueriesPerKind + 10).Select(_ => query())];
            string Ranked(int from, int to) => Searchable(random, from, to);
            yield return ("frequent word", Draw(() => Ranked(0, 10)));
            yield return ("common word", Draw(() => Ranked(50, 200)));
            yield return ("rare word", Draw(() => Ranked(5_000, 20_000)));
            yield return ("order number", Draw(() => string.Create(CultureInfo.InvariantCulture, $"LX{random.Next(100_000):D5}")));
            yield return ("two words", Draw(() => $"{Ranked(0, 10)} {Ranked(50, 200)}"));
            yield return ("phrase", Draw(() => $"\"{Ranked(0, 10)} {Ranked(0, 40)}\""));
            yield return ("prefix", Draw(() => Ranked(50, 200)[..4] + "*"));
        }

        /// <summary>A word of these ranks with letters in it (emoji are not searchable) and four letters or more.</summary>
        private string Searchable(Random random, int from, int to)
        {
            while (true)
            {
                var word = _vocabulary[random.Next(from, to)];
                if (word.Length >= 4 && word.All(char.IsLetter) || from < 10 && word.Any(char.IsLetter))
                {
                    return word;
                }
            }
        }

        /// <summary>Pronounceable made-up words, distinct from each other.</summary>
        private static IEnumerable<string> Synthetic(int count)
        {
            string[] syllables = ["ka", "lo", "mi", "ter", "sa", "no", "vi", "ran", "de", "pu", "gor", "el", "ta", "shi", "mon", "ba", "qu", "rie", "zu", "fen"];
            var random = new Random(11);
            var words = new HashSet<string>(StringComparer.Ordinal);
            while (words.Count < count)
            {
                words.Add(string.Concat(Enumerable.Range(0, random.Next(2, 5)).Select(_ => syllables[random.Next(syllables.Length)])));
            }
            return words;
        }

        /// <summary>Cumulative probabilities of ranks 1..n under Zipf's law with exponent 1.</summary>
        private static double[] Zipf(int n)
        {
            var weights = Enumerable.Range(1, n).Select(rank => 1.0 / rank).ToArray();
            var total = weights.Sum();
            var cumulative = new double[n];
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += weights[i] / total;
                cumulative[i] = sum;
            }
            return cumulative;
        }
    }
}
