using System.Diagnostics;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Archive;

/// <summary><c>dotnet run --project src/Gateway -- archive migrate</c>, as an operator runs it before starting instances.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class ArchiveCommandTests(SqliteArchiveDatabases databases) : IClassFixture<SqliteArchiveDatabases>
{
    [Fact]
    public async Task Archive_migrate_applies_the_migrations_once_and_says_so_with_exit_code_zero()
    {
        var archive = await databases.CreateEmptyAsync();

        var first = await RunAsync("archive", "migrate", $"--ConnectionStrings:Archive={archive}");
        var second = await RunAsync("archive", "migrate", $"--ConnectionStrings:Archive={archive}");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("The archive (Sqlite) is up to date; applied 20261207005849_InitialArchive, 20261207085409_PageInSearchIndex.", first.Output);
        Assert.Equal((0, "The archive (Sqlite) was up to date."), (second.ExitCode, second.Output.Trim()));
    }

    [Fact]
    public async Task Archive_migrate_fails_with_exit_code_one_when_the_database_does_not_answer_and_never_prints_the_password()
    {
        var unreachable = $"Host=127.0.0.1;Port={FreePorts.Next()};Username=gateway;Password=s3cret-pw;Timeout=3";

        var run = await RunAsync("archive", "migrate", $"--ConnectionStrings:Archive={unreachable}");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The archive's database could not be migrated: NpgsqlException", run.Output);
        Assert.DoesNotContain("s3cret-pw", run.Output);
    }

    [Fact]
    public async Task Archive_migrate_without_an_archive_in_production_says_there_is_nothing_to_migrate_with_exit_code_two()
    {
        var run = await RunAsync("archive", "migrate");

        Assert.Equal((2, "ConnectionStrings:Archive is not set: this gateway keeps no archive, so there is nothing to migrate."),
            (run.ExitCode, run.Output.Trim()));
    }

    /// <summary>The gateway's command in Production (no demo archive), its standard output and error together.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = GatewayHost.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
        };
        foreach (var argument in (string[])["run", "--no-build", "--no-launch-profile", "-c", GatewayProcess.Configuration, "--project", "src/Gateway", "--", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
