using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// npm packages for tests, installed once per set of pinned versions into a folder under the system temp directory
/// (never into the repository), and Node scripts run against them.
/// </summary>
public static class NodeTools
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>The folder holding <c>node_modules</c> for exactly these <c>dependencies</c> (name → exact version).</summary>
    public static async Task<string> InstallAsync(IReadOnlyDictionary<string, string> dependencies)
    {
        var dependencyList = string.Join(",", dependencies.OrderBy(d => d.Key).Select(d => $"\"{d.Key}\":\"{d.Value}\""));
        var packageJson = "{\"name\":\"gateway-tests\",\"private\":true,\"type\":\"module\",\"dependencies\":{" + dependencyList + "}}";
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(packageJson)))[..16];
        var folder = Path.Combine(Path.GetTempPath(), "gateway-tests-npm", hash);
        var marker = Path.Combine(folder, ".installed");
        await InstallGate.WaitAsync();
        try
        {
            if (!File.Exists(marker))
            {
                Directory.CreateDirectory(folder);
                await File.WriteAllTextAsync(Path.Combine(folder, "package.json"), packageJson);
                var (exitCode, output) = await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], folder, TimeSpan.FromMinutes(4));
                Assert.True(exitCode == 0, $"npm install failed:\n{output}");
                await File.WriteAllTextAsync(marker, packageJson);
            }
            return folder;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    /// <summary>Runs a Node script placed in <paramref name="folder"/> (so it resolves that folder's packages).</summary>
    public static async Task<(int ExitCode, string Output)> RunScriptAsync(string folder, string name, string script,
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var path = Path.Combine(folder, name);
        await File.WriteAllTextAsync(path, script);
        return await RunAsync("node", [path], folder, timeout, environment);
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
        TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {timeout}.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
