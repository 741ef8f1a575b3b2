using System.Diagnostics;
using MetaGraph.Emulator;

namespace Gateway.Benchmarks;

/// <summary>The gateway in one execution mode, as its own process on a free loopback port, pointed at the emulator.</summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<GatewayProcess> StartAsync(string mode, Uri emulator, IReadOnlyList<SeedPage> pages,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = ChildProcesses.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Meta__UseEmulator"] = "false",
            ["Meta__GraphApiBaseUrl"] = emulator.ToString().TrimEnd('/'),
            ["Gateway__Mode"] = mode,
            // The benchmark measures the query planner, not Meta's allowance: no rate limit, no call budget.
            ["Meta__RateLimit__CallsPerSecond"] = "1000000",
            ["Gateway__Budget__MaxUpstreamCallsPerOperation"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var page in pages)
        {
            environment[$"Meta__Pages__{page.PageId}__AccessToken"] = page.AccessToken;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var process = ChildProcesses.StartDotnet(mode, "Gateway.dll", ["--urls", $"http://127.0.0.1:{port}"], environment);
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        await ChildProcesses.WaitUntilAnsweringAsync(process, gateway.Address, "health/live");
        return gateway;
    }

    /// <summary>Peak resident set of the gateway process (VmHWM), in MB.</summary>
    public double PeakWorkingSetMegabytes() => ChildProcesses.StatusMegabytes(_process, "VmHWM:");

    /// <summary>Current resident set of the gateway process (VmRSS), in MB.</summary>
    public double WorkingSetMegabytes() => ChildProcesses.StatusMegabytes(_process, "VmRSS:");

    /// <summary>CPU time the gateway has used so far.</summary>
    public TimeSpan CpuTime() => ChildProcesses.CpuTime(_process);

    public async ValueTask DisposeAsync() => await ChildProcesses.StopAsync(_process);
}
