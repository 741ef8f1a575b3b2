using Gateway.Archive;
using Gateway.Archive.Privacy;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Gateway.Tests.Archive.ArchiveTestData;

namespace Gateway.Tests.Archive;

/// <summary><c>Archive:Retention</c>'s purge, on the archive's clock (a fake one here): once at start-up, then once a day.</summary>
public abstract class ArchiveRetentionTests(IArchiveDatabases databases) : ArchiveTests(databases)
{
    [Fact]
    public async Task Messages_older_than_the_retention_are_purged_at_start_up_and_then_each_day()
    {
        var archive = await ArchiveAsync([.. Enumerable.Range(0, 40).Select(day => Message($"m_{day:D2}", "hi", Start.AddDays(day)))]);
        Clock.Advance(TimeSpan.FromDays(40));
        using var retention = new ArchiveRetention(archive, Options.Create(new ArchiveOptions { Retention = TimeSpan.FromDays(30) }), Clock,
            NullLogger<ArchiveRetention>.Instance);

        await retention.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(async () => await archive.CountMessagesAsync("t_1") == 30, TimeSpan.FromSeconds(30), "the purge at start-up");
        Clock.Advance(ArchiveRetention.Interval);
        await Eventually.TrueAsync(async () => await archive.CountMessagesAsync("t_1") == 29, TimeSpan.FromSeconds(30), "the next day's purge");
        await retention.StopAsync(CancellationToken.None);

        Assert.Equal("m_11", (await archive.GetThreadAsync("t_1", MessageArchive.MaxPageSize)).Edges[^1].Node.Message.Id);
    }
}

public sealed class SqliteArchiveRetentionTests(SqliteArchiveDatabases databases)
    : ArchiveRetentionTests(databases), IClassFixture<SqliteArchiveDatabases>;

[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class PostgresArchiveRetentionTests(PostgresArchiveDatabases databases)
    : ArchiveRetentionTests(databases), IClassFixture<PostgresArchiveDatabases>;
