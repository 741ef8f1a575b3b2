using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Gateway.Archive.Storage;

/// <summary>
/// Each SQLite connection as it opens: <c>synchronous=NORMAL</c>, which in write-ahead-log mode (the file's, set by
/// <see cref="ArchiveDatabase.MigrateAsync"/>) stays consistent after a crash and only risks the last commits on power loss:
/// an archive refilled by webhooks and sync can afford that; and <c>mmap_size</c>, so reads of the file's first GiB go
/// through the operating system's page cache without a system call and a copy per page (a search visits rows all over the
/// file: twice as fast over a million messages). The journal mode itself is not set here: EF Core opens some
/// connections read-only (to see whether the file exists), and those cannot change it.
/// </summary>
internal sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    public static readonly SqliteConnectionSettings Instance = new();

    private const string Pragmas = "PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 1073741824;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
