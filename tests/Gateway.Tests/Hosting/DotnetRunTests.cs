using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The gateway started the way README says, with <c>dotnet run --no-build --project src/Gateway</c> (launch profile
/// included), as its own process: an environment the user sets is the one that runs, and the demo is the default.
/// </summary>
public sealed class DotnetRunTests
{
    private const string ApiKey = "ops-key-0123456789abcdef";

    [Fact]
    public async Task Production_talks_to_the_configured_graph_url_and_prints_no_token()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions());
        var page = emulator.Seed[0];
        await using var gateway = await RunAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Meta__GraphApiBaseUrl"] = emulator.BaseAddress.ToString().TrimEnd('/'),
            [$"Meta__Pages__{page.PageId}__AccessToken"] = page.AccessToken,
            ["Gateway__Auth__ApiKeys__ops__Key"] = ApiKey,
            ["Gateway__Auth__ApiKeys__ops__Pages__0"] = page.PageId,
        });

        using var request = new HttpRequestMessage(HttpMethod.Post, "graphql")
        {
            Content = JsonContent.Create(new { query = $$"""{ page(id: "{{page.PageId}}") { conversations(platform: MESSENGER, first: 1) { nodes { id } } } }""" }),
        };
        request.Headers.Add("X-Api-Key", ApiKey);
        using var response = await gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"nodes\":[{\"id\":", await response.Content.ReadAsStringAsync());
        Assert.Single(emulator.Requests, call => call.Path.EndsWith($"/{page.PageId}/conversations"));
        var output = gateway.Output();
        Assert.DoesNotContain(page.AccessToken, output);
        Assert.DoesNotContain("token", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("emulator", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Without_an_environment_it_is_the_demo_on_the_embedded_emulator()
    {
        await using var gateway = await RunAsync(new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = null, ["DOTNET_ENVIRONMENT"] = null });

        var output = await gateway.WaitForOutputAsync("Paste into Banana Cake Pop");

        Assert.Contains("on the embedded Graph API emulator", output);
        Assert.Contains("token ", output);
    }

    private static async Task<RunningGateway> RunAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var port = FreePort();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = GatewayHost.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["run", "--no-build", "-c", configuration, "--project", "src/Gateway", "--", "--urls", $"http://127.0.0.1:{port}"])
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
        var gateway = new RunningGateway(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"));
        await gateway.WaitUntilLiveAsync();
        return gateway;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class RunningGateway : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly SemaphoreSlim _lines = new(0);

        public RunningGateway(Process process, Uri address)
        {
            _process = process;
            Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            process.OutputDataReceived += (_, line) => Append(line.Data);
            process.ErrorDataReceived += (_, line) => Append(line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public HttpClient Http { get; }

        public string Output()
        {
            lock (_output)
            {
                return _output.ToString();
            }
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
        public async Task WaitUntilLiveAsync()
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

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }
    }
}
