using System.Data.Common;
using Gateway.Archive.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace Gateway.Archive;

public enum ArchiveProvider { Sqlite, PostgreSql }

/// <summary>
/// The archive's database, chosen by one connection string: SQLite's <c>Data Source=…</c> or PostgreSQL's
/// <c>Host=…</c>. It pools the provider's EF Core context, applies migrations, and answers health checks. The connection
/// string may hold a password, so it is never logged nor put in an exception.
/// </summary>
public sealed class ArchiveDatabase
{
    private readonly Func<ArchiveContext> _createContext;
    private readonly Action _forgetConnections;

    private ArchiveDatabase(ArchiveProvider provider, Func<ArchiveContext> createContext, Action forgetConnections)
    {
        Provider = provider;
        _createContext = createContext;
        _forgetConnections = forgetConnections;
    }

    public ArchiveProvider Provider { get; }

    public static ArchiveDatabase Open(string connectionString, ILoggerFactory? loggerFactory = null) => DetectProvider(connectionString) switch
    {
        ArchiveProvider.Sqlite => new(ArchiveProvider.Sqlite,
            new PooledDbContextFactory<SqliteArchiveContext>(SqliteOptions(connectionString, loggerFactory)).CreateDbContext,
            () => SqliteConnection.ClearPool(new SqliteConnection(connectionString))),
        _ => new(ArchiveProvider.PostgreSql,
            new PooledDbContextFactory<PostgresArchiveContext>(PostgresOptions(connectionString, loggerFactory)).CreateDbContext,
            () => NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString))),
    };

    /// <summary>PostgreSQL when the string names a host (<c>Host=</c> or <c>Server=</c>), SQLite when it names a file.</summary>
    public static ArchiveProvider DetectProvider(string connectionString)
    {
        var keys = new DbConnectionStringBuilder();
        try
        {
            keys.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            throw new ArgumentException("ConnectionStrings:Archive is not a connection string.", nameof(connectionString));
        }
        if (keys.ContainsKey("Host") || keys.ContainsKey("Server"))
        {
            return ArchiveProvider.PostgreSql;
        }
        if (keys.ContainsKey("Data Source") || keys.ContainsKey("DataSource") || keys.ContainsKey("Filename"))
        {
            return ArchiveProvider.Sqlite;
        }
        throw new ArgumentException(
            "ConnectionStrings:Archive names neither a SQLite file (Data Source=…) nor a PostgreSQL host (Host=…).", nameof(connectionString));
    }

    /// <summary>
    /// Applies the migrations this database lacks. Safe when several instances start together: EF Core (9 and later)
    /// holds a database-wide lock while it migrates (SQLite: a row in <c>__EFMigrationsLock</c>). On PostgreSQL its lock
    /// (<c>LOCK TABLE "__EFMigrationsHistory"</c>) lasts one migration's transaction only, and a migrator that waited applies
    /// the next migration a second time, so the pass holds a session's advisory lock as well.
    /// </summary>
    /// <returns>The migrations this database lacked when asked (another instance may have applied them meanwhile).</returns>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var context = CreateContext();
        // Opened here, so EF Core keeps it open for the whole pass (and the session's lock with it).
        await context.Database.GetDbConnection().OpenAsync(cancellationToken);
        var dialect = context.Dialect;
        if (dialect.MigrationLockSql is { } takeLock)
        {
            await context.Database.ExecuteSqlRawAsync(takeLock, cancellationToken);
        }
        try
        {
            var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await context.Database.MigrateAsync(cancellationToken);
            if (dialect.AfterMigrationSql is { } sql)
            {
                await context.Database.ExecuteSqlRawAsync(sql, cancellationToken);
            }
            return pending;
        }
        finally
        {
            if (dialect.MigrationUnlockSql is { } releaseLock)
            {
                await context.Database.ExecuteSqlRawAsync(releaseLock, CancellationToken.None);
            }
        }
    }

    /// <summary>Whether an error of the archive means its database did not answer (down, unreachable, too slow), as opposed
    /// to a fault of the request: what waits for the database and tries again.</summary>
    public static bool IsUnavailable(Exception error) => error is DbException or InvalidOperationException or TimeoutException;

    /// <summary>
    /// Closes the pool's idle connections. After the database went away (stopped, restarted, failed over) they are dead, and
    /// the provider finds that out only by using one: each would fail one more attempt after the database is back. Whatever
    /// finds the database away calls this, so the next attempt opens a fresh connection.
    /// </summary>
    public void ForgetConnections() => _forgetConnections();

    /// <summary>The cheapest proof that the database answers: one <c>SELECT 1</c>.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await using var context = CreateContext();
        await context.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
    }

    internal ArchiveContext CreateContext() => _createContext();

    internal static DbContextOptions<SqliteArchiveContext> SqliteOptions(string connectionString, ILoggerFactory? loggerFactory)
        => Logged(new DbContextOptionsBuilder<SqliteArchiveContext>(), loggerFactory)
            .UseSqlite(connectionString)
            .AddInterceptors(SqliteConnectionSettings.Instance)
            .Options;

    internal static DbContextOptions<PostgresArchiveContext> PostgresOptions(string connectionString, ILoggerFactory? loggerFactory)
        => Logged(new DbContextOptionsBuilder<PostgresArchiveContext>(), loggerFactory)
            .UseNpgsql(connectionString)
            .Options;

    /// <summary>The host's logging, with EF Core's line per executed command lowered to Debug: the archive runs a statement
    /// per webhook batch, and Information would bury the gateway's own logs. Parameter values are never logged.</summary>
    private static DbContextOptionsBuilder<T> Logged<T>(DbContextOptionsBuilder<T> options, ILoggerFactory? loggerFactory) where T : DbContext
        => (loggerFactory is null ? options : options.UseLoggerFactory(loggerFactory))
            .ConfigureWarnings(warnings => warnings.Log((RelationalEventId.CommandExecuted, LogLevel.Debug)));
}

/// <summary>For <c>dotnet ef migrations add … --context SqliteArchiveContext</c>; no database is opened.</summary>
internal sealed class SqliteArchiveDesignTimeFactory : IDesignTimeDbContextFactory<SqliteArchiveContext>
{
    public SqliteArchiveContext CreateDbContext(string[] args) => new(ArchiveDatabase.SqliteOptions("Data Source=archive-design-time.db", null));
}

/// <summary>For <c>dotnet ef migrations add … --context PostgresArchiveContext</c>; no database is opened.</summary>
internal sealed class PostgresArchiveDesignTimeFactory : IDesignTimeDbContextFactory<PostgresArchiveContext>
{
    public PostgresArchiveContext CreateDbContext(string[] args) => new(ArchiveDatabase.PostgresOptions("Host=localhost;Database=archive_design_time", null));
}
