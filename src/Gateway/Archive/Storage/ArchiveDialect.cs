using System.Data.Common;
using Gateway.Archive.Search;

namespace Gateway.Archive.Storage;

/// <summary>
/// What the raw SQL needs to know about a database. <c>INSERT … ON CONFLICT</c> is spelled the same in SQLite and
/// PostgreSQL; time values, reading a batch of rows from JSON, and full-text search differ.
/// </summary>
internal abstract class ArchiveDialect
{
    /// <summary>A time as a parameter value for a time column.</summary>
    public abstract object Time(DateTimeOffset time);

    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    public abstract MessageSearchSql Search { get; }

    /// <summary>What the database file needs beyond the migrations' schema, run after each migration pass.</summary>
    public virtual string? AfterMigrationSql => null;

    /// <summary>A lock of the session that one migration pass at a time may hold, and its release; none when EF Core's
    /// own lock lasts the whole pass.</summary>
    public virtual string? MigrationLockSql => null;

    public virtual string? MigrationUnlockSql => null;

    /// <summary>Rows one statement writes at most: a bound on one parameter's size, whatever a caller passes.</summary>
    private const int RowsPerStatement = 1_000;

    protected abstract string MessageUpsertSql { get; }

    /// <summary>Writes the rows (sorted by id: concurrent writers then lock rows in one order and never deadlock), merging
    /// each into the stored message, one statement per batch of distinct ids.</summary>
    public async Task UpsertMessagesAsync(DbTransaction transaction, IEnumerable<MessageRow> rows, CancellationToken cancellationToken)
    {
        foreach (var batch in MessageUpsert.Rounds(rows).SelectMany(round => round.Chunk(RowsPerStatement)))
        {
            await using var command = SqlRows.Command(transaction.Connection!, MessageUpsertSql, ("@rows", MessageUpsert.RowsJson(batch, this)));
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

internal sealed class SqliteDialect : ArchiveDialect
{
    public static readonly SqliteDialect Instance = new();

    public override object Time(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public override MessageSearchSql Search { get; } = new SqliteMessageSearch();

    /// <summary>Write-ahead logging, kept in the file: readers never wait for the writer, nor the writer for readers.</summary>
    public override string AfterMigrationSql => "PRAGMA journal_mode = WAL;";

    protected override string MessageUpsertSql { get; } = MessageUpsert.Sql(ArchiveProvider.Sqlite);
}

internal sealed class PostgresDialect : ArchiveDialect
{
    public static readonly PostgresDialect Instance = new();

    /// <summary>Npgsql writes <c>timestamptz</c> only from UTC values.</summary>
    public override object Time(DateTimeOffset time) => time.ToUniversalTime();

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override MessageSearchSql Search { get; } = new PostgresMessageSearch();

    /// <summary>An advisory lock's key, chosen for the archive's migrations (any number nothing else here locks).</summary>
    private const long MigrationLockKey = 0x4d657461_41726368;

    public override string MigrationLockSql => $"SELECT pg_advisory_lock({MigrationLockKey})";

    public override string MigrationUnlockSql => $"SELECT pg_advisory_unlock({MigrationLockKey})";

    protected override string MessageUpsertSql { get; } = MessageUpsert.Sql(ArchiveProvider.PostgreSql);
}
