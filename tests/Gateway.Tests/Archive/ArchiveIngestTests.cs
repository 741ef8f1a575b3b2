using Gateway.Tests.Infrastructure;
using System.Diagnostics;
using System.Globalization;
using Gateway.Archive;
using MetaGraph;
using Xunit.Abstractions;
using static Gateway.Tests.Archive.ArchiveTestData;

namespace Gateway.Tests.Archive;

/// <summary>
/// The ingest rate the archive must sustain (2,000 messages/s on this 2-core machine) and the room messages take, with each
/// database as it runs in production. <c>ARCHIVE_INGEST_MESSAGES=100000</c> measures a larger archive (docs/archive.md).
/// </summary>
public abstract class ArchiveIngestTests(IArchiveDatabases databases, ITestOutputHelper output)
{
    private const int RequiredPerSecond = 2_000;
    private const int Batch = 500;

    private static readonly string[] Words =
        ["hola", "order", "pedido", "refund", "שלום", "thanks", "Zoë", "delivery", "mañana", "🎉", "price", "size", "café", "tomorrow", "📦", "return"];

    [Fact]
    public async Task Messages_are_ingested_at_two_thousand_a_second_or_more_and_their_size_is_reported()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("ARCHIVE_INGEST_MESSAGES"), out var asked) ? asked : 20_000;
        var database = await databases.CreateAsync();
        var archive = new MessageArchive(database, TimeProvider.System);
        var messages = Inbox(count);

        var clock = Stopwatch.StartNew();
        foreach (var batch in messages.Chunk(Batch))
        {
            await archive.UpsertMessagesAsync(batch);
        }
        clock.Stop();

        var perSecond = count / clock.Elapsed.TotalSeconds;
        var bytesPer100k = await databases.SizeAsync(database) * 100_000.0 / count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{databases.Provider}: {count:N0} messages in batches of {Batch} in {clock.Elapsed.TotalSeconds:F2} s = {perSecond:N0} messages/s; {bytesPer100k / 1024 / 1024:F1} MiB per 100,000 messages"));
        Assert.True(perSecond >= RequiredPerSecond, $"{perSecond:N0} messages/s, below {RequiredPerSecond:N0}.");
        Assert.Equal(40, await archive.CountMessagesAsync("t_0"));
    }

    /// <summary>An inbox as webhooks deliver it: 40 messages a conversation, texts of 3 to 20 words in several scripts, one
    /// in ten with an attachment, names and recipients.</summary>
    private static List<ArchivedMessage> Inbox(int count)
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, count).Select(index => Message($"m_{index:D7}",
            string.Join(' ', Enumerable.Range(0, random.Next(3, 21)).Select(_ => Words[random.Next(Words.Length)])),
            Start.AddSeconds(index), conversationId: $"t_{index % (count / 40)}", fromId: $"person_{index % (count / 40)}") with
        {
            From = new Participant { Id = $"person_{index % (count / 40)}", Name = "Zoë Díaz" },
            To = [new Participant { Id = PageId, Name = "The Page" }],
            Attachments = index % 10 == 0
                ? [new Attachment { Id = $"a_{index}", MimeType = "image/jpeg", ImageData = new ImageData { Url = $"https://cdn.example/{index}.jpg", Width = 640, Height = 480 } }]
                : null,
        })];
    }
}

/// <summary>The measurements run alone, after the tests that run in parallel: they time the archive, not the suite.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ArchiveIngestCollection
{
    public const string Name = "Archive ingest";
}

[Trait(TestCategories.Name, TestCategories.Slow)]
[Collection(ArchiveIngestCollection.Name)]
public sealed class SqliteArchiveIngestTests(SqliteArchiveDatabases databases, ITestOutputHelper output)
    : ArchiveIngestTests(databases, output), IClassFixture<SqliteArchiveDatabases>;

[Trait(TestCategories.Name, TestCategories.Slow)]
[Collection(ArchiveIngestCollection.Name)]
public sealed class PostgresArchiveIngestTests(DurablePostgresArchiveDatabases databases, ITestOutputHelper output)
    : ArchiveIngestTests(databases, output), IClassFixture<DurablePostgresArchiveDatabases>;
