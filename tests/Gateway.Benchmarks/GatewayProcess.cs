using System.Diagnostics;
using System.Text.Json;
using MetaGraph.Emulator;

namespace Gateway.Benchmarks;

/// <summary>The gateway in one execution mode, as its own process on a free loopback port, pointed at the emulator.</summary>
public sealed class GatewayProcess : IMeasuredProcess, IAsyncDisposable
{
    private readonly Process _process;
    private AllocationMeter? _allocations;

    private GatewayProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    /// <summary>Bytes the process allocates, read over EventPipe from the first use on.</summary>
    public AllocationMeter Allocations => _allocations ??= AllocationMeter.Attach(_process.Id);

    /// <param name="settings">Environment settings over the benchmark's defaults (say, Meta's real allowance).</param>
    /// <param name="build">Another build of the gateway (another git ref's); by default the one built beside the harness.</param>
    public static async Task<GatewayProcess> StartAsync(string mode, Uri emulator, IReadOnlyList<SeedPage> pages,
        IReadOnlyDictionary<string, string>? settings = null, GatewayBuild? build = null)
    {
        var port = FreePorts.Next();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Meta__UseEmulator"] = "false",
            ["Meta__GraphApiBaseUrl"] = emulator.ToString().TrimEnd('/'),
            ["Gateway__Mode"] = mode,
            // The benchmark measures the query planner, not Meta's allowance: no rate limit, no call budget.
            ["Meta__RateLimit__CallsPerSecond"] = "1000000",
            ["Gateway__Budget__MaxUpstreamCallsPerOperation"] = "100000",
            // Every read a live Graph call: the query planner and the governor are measured here; the shared-inbox
            // scenario turns the cache on.
            ["Gateway__Cache__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            // Warnings and errors reach the harness's console (standard error is echoed, standard output is not).
            ["Logging__Console__LogToStandardErrorThreshold"] = "Warning",
            // The harness is the only caller; Production would otherwise require API keys or JWTs for server-side tokens.
            ["Gateway__Auth__Required"] = "false",
        };
        // The runtime's settings the gateway is always started with (its launch profile's, which the container image repeats).
        foreach (var (key, value) in LaunchProfileEnvironment(build?.SourceRoot ?? BenchmarkRun.RepositoryRoot))
        {
            environment[key] = value;
        }
        foreach (var page in pages)
        {
            environment[$"Meta__Pages__{page.PageId}__AccessToken"] = page.AccessToken;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var process = ChildProcesses.StartDotnet(build is null ? mode : $"{mode} {build.Name}", build?.Assembly ?? "Gateway.dll",
            ["--urls", $"http://127.0.0.1:{port}"], environment);
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        await ChildProcesses.WaitUntilAnsweringAsync(process, gateway.Address, "health/live");
        return gateway;
    }

    /// <summary>The environment of the gateway's launch profile (<c>src/Gateway/Properties/launchSettings.json</c>) in that
    /// source tree: what <c>dotnet run</c> and the container image start it with.</summary>
    private static IEnumerable<KeyValuePair<string, string>> LaunchProfileEnvironment(string sourceRoot)
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(sourceRoot, "src", "Gateway", "Properties", "launchSettings.json")));
        return settings.RootElement.GetProperty("profiles").GetProperty("Gateway").TryGetProperty("environmentVariables", out var variables)
            ? [.. variables.EnumerateObject().Select(variable => KeyValuePair.Create(variable.Name, variable.Value.GetString()!))]
            : [];
    }

    /// <summary>Peak resident set of the gateway process (VmHWM), in MB.</summary>
    public double PeakWorkingSetMegabytes() => ChildProcesses.StatusMegabytes(_process, "VmHWM:");

    /// <summary>Current resident set of the gateway process (VmRSS), in MB.</summary>
    public double WorkingSetMegabytes() => ChildProcesses.StatusMegabytes(_process, "VmRSS:");

    /// <summary>CPU time the gateway has used so far.</summary>
    public TimeSpan CpuTime() => ChildProcesses.CpuTime(_process);

    public async ValueTask DisposeAsync()
    {
        _allocations?.Dispose();
        await ChildProcesses.StopAsync(_process);
    }
}
