using Gateway.Tests.Infrastructure;
using Gateway.Archive;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using static Gateway.Tests.Archive.ArchiveTestData;

namespace Gateway.Tests.Archive;

/// <summary>Choosing the database, applying migrations (also when instances race), registration and health.</summary>
public abstract class ArchiveDatabaseTests(IArchiveDatabases databases)
{
    [Fact]
    public async Task Migrators_racing_on_an_empty_database_apply_each_migration_once_and_all_succeed()
    {
        var connectionString = await databases.CreateEmptyAsync();
        // Separate databases objects: separate connection pools, as on separate instances.
        var migrators = Enumerable.Range(0, 4).Select(_ => ArchiveDatabase.Open(connectionString)).ToList();

        await Task.WhenAll(migrators.Select(migrator => Task.Run(() => migrator.MigrateAsync())));

        await using var context = migrators[0].CreateContext();
        Assert.Equal(context.Database.GetMigrations(), await context.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await context.Database.GetPendingMigrationsAsync());
        var archive = new MessageArchive(migrators[1], new FakeTimeProvider(Start));
        await archive.UpsertMessagesAsync([Message("m_1", "migrated")]);
        Assert.Single((await archive.SearchAsync(new MessageSearchRequest("migrated", [PageId]))).Edges);
    }

    [Fact]
    public async Task An_archive_filled_before_the_page_entered_the_search_index_is_searchable_by_page_after_the_upgrade()
    {
        var connectionString = await databases.CreateEmptyAsync();
        var database = ArchiveDatabase.Open(connectionString);
        await using (var context = database.CreateContext())
        {
            await context.GetService<IMigrator>().MigrateAsync(context.Database.GetMigrations().First());
        }
        var archive = new MessageArchive(database, new FakeTimeProvider(Start));
        await archive.UpsertMessagesAsync([
            Message("m_1", "refund for order LX123"), Message("m_2", "refund please", pageId: "104000000000002"),
            Message("m_3", "refund, then erased")]);

        var applied = await database.MigrateAsync();
        await archive.UpsertMessagesAsync([Message("m_3", "refund, then erased") with { Deleted = true }, Message("m_4", "refund today")]);

        Assert.Single(applied);
        var found = await archive.SearchAsync(new MessageSearchRequest("refund", [PageId]));
        Assert.Equal(["m_1", "m_4"], found.Edges.Select(edge => edge.Node.MessageId).Order());
        var other = await archive.SearchAsync(new MessageSearchRequest("refund", ["104000000000002"]));
        Assert.Equal("m_2", Assert.Single(other.Edges).Node.MessageId);
    }

    [Fact]
    public async Task The_connection_string_alone_chooses_the_database_and_registration_serves_a_working_archive()
    {
        var connectionString = await databases.CreateEmptyAsync();
        await using var services = new ServiceCollection().AddLogging().AddMessageArchive(connectionString).BuildServiceProvider();

        var database = services.GetRequiredService<ArchiveDatabase>();
        await database.MigrateAsync();
        var archive = services.GetRequiredService<MessageArchive>();
        await archive.UpsertMessagesAsync([Message("m_1", "registered")]);

        Assert.Equal(databases.Provider, database.Provider);
        Assert.Equal(databases.Provider, ArchiveDatabase.DetectProvider(connectionString));
        Assert.Equal(1, await archive.CountMessagesAsync("t_1"));
    }

    [Fact]
    public async Task Health_is_healthy_when_the_database_answers_and_unhealthy_when_it_cannot_be_reached()
    {
        var check = new HealthCheckContext { Registration = new HealthCheckRegistration("archive", _ => null!, HealthStatus.Unhealthy, null) };

        var healthy = await new ArchiveHealthCheck(await databases.CreateAsync()).CheckHealthAsync(check);
        var unreachable = await new ArchiveHealthCheck(ArchiveDatabase.Open(databases.Unreachable)).CheckHealthAsync(check);

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal((HealthStatus.Unhealthy, "The message archive's database does not answer."), (unreachable.Status, unreachable.Description));
    }
}

public sealed class SqliteArchiveDatabaseTests(SqliteArchiveDatabases databases)
    : ArchiveDatabaseTests(databases), IClassFixture<SqliteArchiveDatabases>
{
    [Fact]
    public async Task A_migrated_sqlite_file_keeps_a_write_ahead_log()
    {
        await using var context = ArchiveDatabase.Open(await databases.CreateMigratedAsync()).CreateContext();

        Assert.Equal("wal", await context.Database.SqlQueryRaw<string>("SELECT journal_mode AS \"Value\" FROM pragma_journal_mode").SingleAsync());
    }
}

[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class PostgresArchiveDatabaseTests(PostgresArchiveDatabases databases)
    : ArchiveDatabaseTests(databases), IClassFixture<PostgresArchiveDatabases>;

public class ArchiveConnectionStringTests
{
    [Theory]
    [InlineData("Data Source=archive.db", ArchiveProvider.Sqlite)]
    [InlineData("DataSource=/var/lib/gateway/archive.db;Cache=Shared", ArchiveProvider.Sqlite)]
    [InlineData("Host=db.internal;Database=archive;Username=gateway;Password=s3cret", ArchiveProvider.PostgreSql)]
    [InlineData("server=10.0.0.5;port=5433;database=archive", ArchiveProvider.PostgreSql)]
    public void The_provider_is_told_by_the_connection_string(string connectionString, ArchiveProvider provider)
        => Assert.Equal(provider, ArchiveDatabase.DetectProvider(connectionString));

    [Theory]
    [InlineData("Database=archive;Password=s3cret")]
    [InlineData("not a connection string; Password=s3cret;=")]
    public void A_connection_string_naming_neither_is_refused_at_registration_without_echoing_it(string connectionString)
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddMessageArchive(connectionString));

        Assert.DoesNotContain("s3cret", error.Message);
        Assert.Contains("ConnectionStrings:Archive", error.Message);
    }
}
