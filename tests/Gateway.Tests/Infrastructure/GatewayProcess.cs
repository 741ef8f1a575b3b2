using System.Diagnostics;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway as its own process, started the way README says (<c>dotnet run --no-build --project src/Gateway</c>,
/// launch profile included) with exactly the environment the test gives, on a free port. Disposing it kills it, as a
/// crash or an orchestrator would: no graceful shutdown.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly SemaphoreSlim _lines = new(0);
    private int _disposed;

    private GatewayProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    /// <summary>The build configuration these tests run in, which <c>dotnet run --no-build</c> must name.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public HttpClient Http { get; }

    /// <summary>Starts the gateway with these environment variables (null removes one) and waits until it is live.</summary>
    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var port = FreePorts.Next();
        var gateway = new GatewayProcess(Process.Start(DotnetRun(["--urls", $"http://127.0.0.1:{port}"], environment))!, new Uri($"http://127.0.0.1:{port}/"));
        await gateway.WaitUntilLiveAsync();
        return gateway;
    }

    /// <summary>Runs one of the gateway's commands (<c>sync …</c>) to its end: its exit code and what it wrote.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunCommandAsync(IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var run = await ProcessRuns.RunToEndAsync(DotnetRun(arguments, environment), timeout);
        Assert.True(run.Ended, $"`{string.Join(' ', arguments)}` did not end within {timeout}: {run.Output}{run.Errors}");
        return (run.ExitCode, run.Output, run.Errors);
    }

    /// <summary><c>dotnet run --no-build --project src/Gateway -- <paramref name="arguments"/></c>, launch profile included, in
    /// this test build's configuration, with exactly the environment the test gives.</summary>
    private static ProcessStartInfo DotnetRun(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = GatewayHost.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in ((string[])["run", "--no-build", "-c", Configuration, "--project", "src/Gateway", "--"]).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        // This test process may carry an environment of its own; the child gets exactly what the test says.
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }
        return start;
    }

    /// <summary>Configuration keys (<c>Meta:AppSecret</c>) as the environment variables that set them.</summary>
    public static Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?> settings)
        => settings.ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value);

    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    /// <summary>The application's own process (<c>dotnet run</c> starts it as a child), for its memory figures.</summary>
    public int ApplicationProcessId()
    {
        var children = File.ReadAllText($"/proc/{_process.Id}/task/{_process.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return children.Select(int.Parse).Single(pid => File.ReadAllText($"/proc/{pid}/cmdline").Contains("Gateway", StringComparison.Ordinal));
    }

    /// <summary>A resident-set figure of the application's process (<c>VmRSS</c>, <c>VmHWM</c>), in MB.</summary>
    public double ApplicationMegabytes(string field)
    {
        var line = File.ReadLines($"/proc/{ApplicationProcessId()}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    /// <summary>Waits for each line the process writes until one contains <paramref name="text"/>.</summary>
    public async Task<string> WaitForOutputAsync(string text)
    {
        while (!Output().Contains(text))
        {
            Assert.True(await _lines.WaitAsync(TimeSpan.FromSeconds(60)), $"no line with '{text}' in: {Output()}");
        }
        return Output();
    }

    /// <summary>Polls /health/live until it answers (the process has no readiness signal of its own); an exit fails.</summary>
    private async Task WaitUntilLiveAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"the gateway exited: {Output()}");
            try
            {
                if ((await Http.GetAsync("health/live")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await _lines.WaitAsync(TimeSpan.FromMilliseconds(200));
        }
        Assert.Fail($"the gateway did not start: {Output()}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        _lines.Release();
    }

    /// <summary>Kills the process; a second call (a test that killed it on purpose, then its <c>await using</c>) does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
