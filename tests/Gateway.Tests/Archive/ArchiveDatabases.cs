using Gateway.Archive;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Gateway.Tests.Archive;

/// <summary>Fresh, migrated archive databases of one provider, one per test, so no test sees another's rows. A test class
/// gets them through an xunit class fixture: for PostgreSQL one server per class.</summary>
public interface IArchiveDatabases
{
    ArchiveProvider Provider { get; }

    /// <summary>A connection string to a new empty database, not migrated.</summary>
    Task<string> CreateEmptyAsync();

    /// <summary>A connection string to a new database with the archive's schema.</summary>
    Task<string> CreateMigratedAsync();

    /// <summary>A new database with the archive's schema.</summary>
    async Task<ArchiveDatabase> CreateAsync() => ArchiveDatabase.Open(await CreateMigratedAsync());

    /// <summary>A connection string to a database that cannot be reached.</summary>
    string Unreachable { get; }
}

/// <summary>SQLite files in a temporary folder, deleted with it.</summary>
public sealed class SqliteArchiveDatabases : IArchiveDatabases, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("archive-sqlite-");
    private int _count;

    public ArchiveProvider Provider => ArchiveProvider.Sqlite;

    public Task<string> CreateEmptyAsync()
        => Task.FromResult($"Data Source={Path.Combine(_folder.FullName, $"archive-{Interlocked.Increment(ref _count)}.db")}");

    public async Task<string> CreateMigratedAsync()
    {
        var connectionString = await CreateEmptyAsync();
        await ArchiveDatabase.Open(connectionString).MigrateAsync();
        return connectionString;
    }

    public string Unreachable => $"Data Source={Path.Combine(_folder.FullName, "missing-folder", "archive.db")};Mode=ReadWrite";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}

/// <summary>One PostgreSQL server; each test's database is a copy of a template migrated once (a copy is faster than a
/// migration).</summary>
public sealed class PostgresArchiveDatabases : IArchiveDatabases, IAsyncLifetime
{
    private const string Template = "archive_template";
    private PostgresServer? _server;
    private int _count;

    public ArchiveProvider Provider => ArchiveProvider.PostgreSql;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The server starts with the fixture.");

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        await _server.CreateDatabaseAsync(Template);
        // Unpooled: CREATE DATABASE … TEMPLATE refuses while any connection to the template is open.
        await ArchiveDatabase.Open(_server.ConnectionString(Template, pooling: false)).MigrateAsync();
    }

    public async Task<string> CreateEmptyAsync()
    {
        var name = NextName();
        await Server.CreateDatabaseAsync(name);
        return Server.ConnectionString(name);
    }

    public async Task<string> CreateMigratedAsync()
    {
        var name = NextName();
        await Server.CreateDatabaseAsync(name, Template);
        return Server.ConnectionString(name);
    }

    public string Unreachable => new NpgsqlConnectionStringBuilder(Server.ConnectionString("archive")) { Port = FreePorts.Next(), Timeout = 3 }
        .ConnectionString;

    private string NextName() => $"archive_{Interlocked.Increment(ref _count)}";

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
