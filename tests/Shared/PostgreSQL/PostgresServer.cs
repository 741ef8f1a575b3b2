using System.Diagnostics;
using Npgsql;

namespace Tests.Shared;

/// <summary>
/// A real PostgreSQL server (Debian's <c>postgresql</c> package) for one test class: <c>initdb</c> into a temporary folder,
/// <c>pg_ctl start</c> on a free loopback port with its unix socket in that folder, stopped and deleted on dispose.
/// <c>initdb</c> and <c>postgres</c> refuse to run as root, so as root they run as the <c>postgres</c> system user.
/// Durability is off (<c>fsync</c>, <c>synchronous_commit</c>): a test's data need not survive a crash, and tests run faster;
/// the benchmark harness keeps it on. It can be stopped and started again (the archive's database going away and coming back).
/// Compiled into Gateway.Tests and the benchmark harness from tests/Shared/PostgreSQL (MetaGraph.Tests, which has no Npgsql, takes only tests/Shared/*.cs).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string SystemUser = "postgres";

    private readonly string _folder;
    private readonly string _binaries;
    private readonly bool _durable;

    private PostgresServer(string folder, string binaries, int port, bool durable)
    {
        _folder = folder;
        _binaries = binaries;
        Port = port;
        _durable = durable;
    }

    public int Port { get; }

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>Npgsql's connection string to a database of this server (trust authentication on loopback).</summary>
    public string ConnectionString(string database, bool pooling = true)
        => new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = SystemUser, Database = database, Pooling = pooling }
            .ConnectionString;

    /// <param name="durable">Keep PostgreSQL's default durability (for measurements); tests turn it off.</param>
    public static async Task<PostgresServer> StartAsync(bool durable = false)
    {
        var server = new PostgresServer(Directory.CreateTempSubdirectory("archive-postgres-").FullName, Binaries(), FreePorts.Next(), durable);
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task CreateDatabaseAsync(string name, string? template = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres", pooling: false));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // Identifiers cannot be parameters; test code chooses these names. FILE_COPY copies the template's files, several
        // times faster here than PostgreSQL 15's default of writing the copy through the WAL.
        command.CommandText = template is null
            ? $"CREATE DATABASE \"{name}\""
            : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" STRATEGY FILE_COPY";
        await command.ExecuteNonQueryAsync();
    }

    private async Task InitializeAsync()
    {
        if (RunsAsRoot)
        {
            await RunAsync("chown", [$"{SystemUser}:{SystemUser}", _folder]);
        }
        await RunAsync(Path.Combine(_binaries, "initdb"),
            ["-D", DataFolder, "-U", SystemUser, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], asServer: true);
        await StartAgainAsync();
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on its port, and waits until it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        var settings = $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1"
                       + (_durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        await RunAsync(Path.Combine(_binaries, "pg_ctl"),
            ["-D", DataFolder, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "-o", settings, "start"], asServer: true);
    }

    /// <summary>Stops the server (the database going away): clients' connections are cut. A fast shutdown, not an immediate
    /// one, since with durability off (<c>synchronous_commit</c>) an immediate stop loses the last commits, which a database
    /// that went away and came back never does.</summary>
    public async Task StopAsync() => await StopInModeAsync("fast");

    private async Task StopInModeAsync(string mode)
        => await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", DataFolder, "-m", mode, "-w", "stop"], asServer: true);

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
        {
            await StopInModeAsync("immediate");
        }
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The newest installed server's binaries; a clear failure when PostgreSQL is not installed.</summary>
    private static string Binaries()
    {
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            "PostgreSQL's server binaries (/usr/lib/postgresql/<version>/bin/initdb, pg_ctl) are missing: install Debian's postgresql package.");
    }

    private static bool RunsAsRoot => Environment.UserName == "root";


    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asServer = false)
    {
        var start = asServer && RunsAsRoot ? new ProcessStartInfo("runuser") { ArgumentList = { "-u", SystemUser, "--", program } } : new ProcessStartInfo(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} exited with {process.ExitCode}: {await output}{await errors}");
        }
    }
}
