namespace Gateway.Archive.Hosting;

/// <summary><c>dotnet run --project src/Gateway -- archive migrate</c>: applies the archive's migrations to the database
/// <c>ConnectionStrings:Archive</c> names (from appsettings, the environment or <c>--ConnectionStrings:Archive=…</c>), or the
/// demo's file. Exit code 0 when the database is up to date, 1 when it could not be reached, 2 when there is nothing to
/// migrate or the setting is wrong. The connection string is never printed: it may hold a password.</summary>
public static class ArchiveCommand
{
    public static bool IsRequested(string[] args) => args is ["archive", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not ["archive", "migrate", .. var settings])
        {
            await Console.Error.WriteLineAsync("Usage: archive migrate [--ConnectionStrings:Archive=<connection string>]");
            return 2;
        }
        var builder = WebApplication.CreateSlimBuilder(settings);
        if (ArchiveServices.ConnectionString(builder.Configuration, builder.Environment) is not { } connectionString)
        {
            await Console.Error.WriteLineAsync("ConnectionStrings:Archive is not set: this gateway keeps no archive, so there is nothing to migrate.");
            return 2;
        }
        try
        {
            var database = ArchiveDatabase.Open(connectionString);
            var applied = await database.MigrateAsync();
            Console.WriteLine(applied.Count == 0
                ? $"The archive ({database.Provider}) was up to date."
                : $"The archive ({database.Provider}) is up to date; applied {string.Join(", ", applied)}.");
            return 0;
        }
        catch (ArgumentException error)
        {
            await Console.Error.WriteLineAsync(error.Message);
            return 2;
        }
        catch (Exception error) when (ArchiveDatabase.IsUnavailable(error))
        {
            await Console.Error.WriteLineAsync($"The archive's database could not be migrated: {error.GetType().Name}: {error.Message}");
            return 1;
        }
    }
}
