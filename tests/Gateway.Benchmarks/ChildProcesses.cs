using System.Diagnostics;
using System.Net;

namespace Gateway.Benchmarks;

/// <summary>Starting, watching and stopping the benchmark's own processes (the emulator and each gateway).</summary>
internal static class ChildProcesses
{
    /// <summary>Runs one of the assemblies built beside the harness (or, given a full path, another build's); its standard
    /// error is echoed with a prefix.</summary>
    public static Process StartDotnet(string name, string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
        => Start(name, "dotnet", [Path.Combine(AppContext.BaseDirectory, assembly), .. arguments], environment);

    /// <summary>Runs a program (a Node peer, say); its standard error is echoed with a prefix.</summary>
    public static Process Start(string name, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        string? workingDirectory = null)
    {
        var start = StartInfo(program, arguments, workingDirectory ?? "");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                Console.Error.WriteLine($"[{name}] {line.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs a command to its end (git, dotnet build, npm install) and returns its standard output; a failure, or
    /// no end within <paramref name="timeout"/>, fails the run with what it printed.</summary>
    public static async Task<string> RunToEndAsync(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = StartInfo(program, arguments, workingDirectory);
        var run = await ProcessRuns.RunToEndAsync(start, timeout);
        if (!run.Ended)
        {
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}.");
        }
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} failed ({run.ExitCode}):\n{run.Output}{run.Errors}");
        }
        return run.Output.Trim();
    }

    private static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    /// <summary>Polls <paramref name="path"/> until it answers 200; a process that exits first fails the run.</summary>
    public static async Task WaitUntilAnsweringAsync(Process process, Uri address, string path)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(path)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"{address} did not answer {path}.");
    }

    /// <summary>Resident set fields of <c>/proc/{pid}/status</c> (VmHWM, VmRSS), in MB.</summary>
    public static double StatusMegabytes(Process process, string field)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    /// <summary>CPU time the process has used so far (user and system).</summary>
    public static TimeSpan CpuTime(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    public static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
