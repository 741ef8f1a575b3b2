using System.Diagnostics;

namespace Tests.Shared;

/// <summary>What a child process run to its end wrote; <see cref="Ended"/> is false when it was killed at its time limit.</summary>
public sealed record ProcessRun(bool Ended, int ExitCode, string Output, string Errors);

/// <summary>Child processes run to their end (a gateway command, git, dotnet build, npm install), for the tests and the
/// benchmark harness alike.</summary>
public static class ProcessRuns
{
    /// <summary>Starts <paramref name="start"/> (standard output and error redirected) and reads both until it ends, or kills
    /// it with its whole tree after <paramref name="timeout"/>.</summary>
    public static async Task<ProcessRun> RunToEndAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new ProcessRun(false, -1, await output, await errors);
        }
        return new ProcessRun(true, process.ExitCode, await output, await errors);
    }
}
