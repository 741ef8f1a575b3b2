using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Gateway.Archive.Storage;

/// <summary>
/// The archive on SQLite (the default: one file, nothing to run). Its full-text index, the FTS5 table
/// <c>message_search</c> and the triggers that keep it in step with <c>messages</c>, is made by the migration's SQL:
/// EF Core's model has no notion of a virtual table.
/// </summary>
internal sealed class SqliteArchiveContext(DbContextOptions<SqliteArchiveContext> options) : ArchiveContext(options)
{
    public override ArchiveDialect Dialect => SqliteDialect.Instance;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no time type and EF cannot order or compare DateTimeOffset text there; Unix milliseconds (the
        // precision of Meta's webhooks) sort and compare as integers.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
    }

    private sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        time => time.ToUnixTimeMilliseconds(), milliseconds => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds));
}
