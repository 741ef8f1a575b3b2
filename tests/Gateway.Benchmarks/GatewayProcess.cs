using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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

    public static async Task<GatewayProcess> StartAsync(string mode, EmulatorServer emulator)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Meta__UseEmulator"] = "false";
        start.Environment["Meta__GraphApiBaseUrl"] = emulator.BaseAddress.ToString().TrimEnd('/');
        start.Environment["Gateway__Mode"] = mode;
        // The benchmark measures the query planner, not Meta's allowance: no rate limit, no call budget.
        start.Environment["Meta__RateLimit__CallsPerSecond"] = "1000000";
        start.Environment["Gateway__Budget__MaxUpstreamCallsPerOperation"] = "100000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var page in emulator.Seed)
        {
            start.Environment[$"Meta__Pages__{page.PageId}__AccessToken"] = page.AccessToken;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) Console.Error.WriteLine($"[{mode}] {line.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        await gateway.WaitUntilLiveAsync();
        return gateway;
    }

    /// <summary>Peak resident set of the gateway process (VmHWM), in MB.</summary>
    public double PeakWorkingSetMegabytes() => StatusMegabytes("VmHWM:");

    /// <summary>Current resident set of the gateway process (VmRSS), in MB.</summary>
    public double WorkingSetMegabytes() => StatusMegabytes("VmRSS:");

    private double StatusMegabytes(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    private async Task WaitUntilLiveAsync()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await http.GetAsync("health/live")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("The gateway did not start.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
