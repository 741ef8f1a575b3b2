using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Benchmarks;

/// <summary>
/// Hive Gateway (<c>@graphql-hive/gateway</c>, from npm) serving the inbox over the emulator: <c>hive-gateway.mjs</c>
/// beside the harness, run by Node as its own process on a free loopback port, in one of its variants.
/// </summary>
public sealed class HiveGatewayProcess : IMeasuredProcess, IAsyncDisposable
{
    /// <summary>Exact versions: the gateway (the issue quotes 2.15), and what the script imports besides.</summary>
    public static readonly IReadOnlyDictionary<string, string> Packages = new Dictionary<string, string>
    {
        ["@graphql-hive/gateway"] = "2.15.1",
        ["@graphql-mesh/cache-inmemory-lru"] = "0.11.1",
        ["graphql"] = "16.15.0",
    };

    private const string Script = "hive-gateway.mjs";

    private readonly Process _process;

    private HiveGatewayProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Node publishes no allocation counter the harness can read from outside.</summary>
    public AllocationMeter? Allocations => null;

    /// <param name="folder">Where <see cref="InstallAsync"/> put the packages.</param>
    /// <param name="variant"><c>per-endpoint</c> or <c>field-expansion</c> (see the script).</param>
    /// <param name="responseCache">Hive's response cache and its time to live, or none.</param>
    public static async Task<HiveGatewayProcess> StartAsync(string folder, Uri emulator, string variant, TimeSpan? responseCache = null)
    {
        var port = FreePorts.Next();
        File.Copy(Path.Combine(AppContext.BaseDirectory, Script), Path.Combine(folder, Script), overwrite: true);
        var environment = new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["GRAPH_API"] = new Uri(emulator, "v25.0").ToString(),
            ["VARIANT"] = variant,
            ["RESPONSE_CACHE_MS"] = ((int)(responseCache ?? TimeSpan.Zero).TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            ["NODE_ENV"] = "production",
        };
        var process = ChildProcesses.Start($"hive {variant}", "node", [Script], environment, folder);
        var hive = new HiveGatewayProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        await ChildProcesses.WaitUntilAnsweringAsync(process, hive.Address, "healthcheck");
        return hive;
    }

    /// <summary>
    /// Installs <see cref="Packages"/> once per set of versions into a folder under the system temp directory, never the
    /// repository (as the test suite's NodeTools does); returns the folder and the versions npm resolved for the packages
    /// that do the work (the gateway runtime, the response cache, graphql) and Node's, for the report.
    /// </summary>
    public static async Task<(string Folder, string Versions)> InstallAsync()
    {
        var manifest = JsonSerializer.Serialize(new { name = "gateway-benchmarks-peers", @private = true, type = "module", dependencies = Packages });
        var folder = Path.Combine(Path.GetTempPath(), "gateway-benchmarks-npm", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(manifest)))[..16]);
        var marker = Path.Combine(folder, ".installed");
        if (!File.Exists(marker))
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "package.json"), manifest);
            Console.Error.WriteLine($"npm install {string.Join(' ', Packages.Select(p => $"{p.Key}@{p.Value}"))} into {folder} …");
            await ChildProcesses.RunToEndAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], folder, TimeSpan.FromMinutes(10));
            await File.WriteAllTextAsync(marker, manifest);
        }
        var node = await ChildProcesses.RunToEndAsync("node", ["--version"], folder, TimeSpan.FromSeconds(30));
        return (folder, string.Join(", ", new[] { "@graphql-hive/gateway", "@graphql-hive/gateway-runtime", "@graphql-yoga/plugin-response-cache", "graphql" }
            .Select(name => $"{name} {InstalledVersion(folder, name)}").Append($"Node {node}")));
    }

    private static string InstalledVersion(string folder, string package)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "node_modules", package, "package.json")));
        return manifest.RootElement.GetProperty("version").GetString()!;
    }

    public TimeSpan CpuTime() => ChildProcesses.CpuTime(_process);

    public double PeakWorkingSetMegabytes() => ChildProcesses.StatusMegabytes(_process, "VmHWM:");

    public async ValueTask DisposeAsync() => await ChildProcesses.StopAsync(_process);
}
