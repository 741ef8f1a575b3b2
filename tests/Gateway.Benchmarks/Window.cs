namespace Gateway.Benchmarks;

/// <summary>A server process whose cost the benchmark reads from outside it: the gateway, another build of it, or a peer.</summary>
public interface IMeasuredProcess
{
    Uri Address { get; }

    /// <summary>CPU time (user and system) the process has used so far.</summary>
    TimeSpan CpuTime();

    /// <summary>Peak resident set (VmHWM), in MB.</summary>
    double PeakWorkingSetMegabytes();

    /// <summary>Bytes the process allocates, where its runtime publishes them (.NET); null for a Node peer.</summary>
    AllocationMeter? Allocations { get; }
}

/// <summary>
/// One measured window of load against one process: latencies and throughput, the process's CPU time over exactly the
/// requests of the window divided by their number, bytes it allocated likewise, and the Graph API calls the emulator
/// served per request (from its request log, emptied just before).
/// </summary>
public sealed record Window(LoadResult Load, double CpuMillisecondsPerRequest, double? AllocatedBytesPerRequest, double GraphCallsPerRequest)
{
    public static async Task<Window> MeasureAsync(IMeasuredProcess target, EmulatorProcess emulator, Func<Task<LoadResult>> load)
    {
        await emulator.ResetRequestsAsync();
        var ((result, cpu), bytes) = target.Allocations is { } meter
            ? await meter.MeasureAsync(() => WithCpuAsync(target, load))
            : (await WithCpuAsync(target, load), (long?)null);
        var requests = result.Milliseconds.Length;
        var calls = (await emulator.RequestsAsync()).Count;
        return new Window(result, cpu.TotalMilliseconds / requests, (double?)bytes / requests, (double)calls / requests);
    }

    private static async Task<(LoadResult Result, TimeSpan Cpu)> WithCpuAsync(IMeasuredProcess target, Func<Task<LoadResult>> load)
    {
        var before = target.CpuTime();
        var result = await load();
        return (result, target.CpuTime() - before);
    }
}

/// <summary>The windows of one process in one cell, one per round, and their medians: on a shared machine a single window
/// means little, the median of alternating rounds does.</summary>
public sealed class Rounds
{
    public List<Window> Windows { get; } = [];

    public double Throughput => Median(w => w.Load.Throughput);

    public double P50 => Median(w => w.Load.Percentile(50));

    public double P99 => Median(w => w.Load.Percentile(99));

    public double CpuMillisecondsPerRequest => Median(w => w.CpuMillisecondsPerRequest);

    public double? AllocatedBytesPerRequest => Windows.All(w => w.AllocatedBytesPerRequest is not null) ? Median(w => w.AllocatedBytesPerRequest!.Value) : null;

    public double GraphCallsPerRequest => Median(w => w.GraphCallsPerRequest);

    private double Median(Func<Window, double> value) => Statistics.Median(Windows.Select(value));
}

public static class Statistics
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
