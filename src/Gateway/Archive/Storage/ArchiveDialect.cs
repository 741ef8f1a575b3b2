using System.Data.Common;
using Gateway.Archive.Search;

namespace Gateway.Archive.Storage;

/// <summary>
/// What the raw SQL needs to know about a database. The upserts are one SQL text for both (<c>INSERT … ON CONFLICT</c> is
/// spelled the same in SQLite and PostgreSQL); only time values, JSON parameters and full-text search differ.
/// </summary>
internal abstract class ArchiveDialect
{
    /// <summary>A time as a parameter value for a time column.</summary>
    public abstract object Time(DateTimeOffset time);

    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary>The SQL expression that stores the JSON text of a parameter in a JSON column.</summary>
    public abstract string JsonValue(string parameter);

    public abstract MessageSearchSql Search { get; }

    public string MessageUpsertSql => field ??= MessageUpsert.Sql(this);
}

internal sealed class SqliteDialect : ArchiveDialect
{
    public static readonly SqliteDialect Instance = new();

    public override object Time(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public override string JsonValue(string parameter) => parameter;

    public override MessageSearchSql Search { get; } = new SqliteMessageSearch();
}

internal sealed class PostgresDialect : ArchiveDialect
{
    public static readonly PostgresDialect Instance = new();

    /// <summary>Npgsql writes <c>timestamptz</c> only from UTC values.</summary>
    public override object Time(DateTimeOffset time) => time.ToUniversalTime();

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override string JsonValue(string parameter) => $"CAST({parameter} AS jsonb)";

    public override MessageSearchSql Search { get; } = new PostgresMessageSearch();
}
