using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Gateway.Benchmarks;

/// <summary>
/// Bytes a .NET process has allocated, read from outside it: an EventPipe session (what <c>dotnet-counters</c> opens)
/// asks the process's <c>System.Diagnostics.Metrics</c> event source to publish the <c>System.Runtime</c> meter's
/// <c>dotnet.gc.heap.total_allocated</c> every <see cref="Interval"/>. No hook in the gateway is needed, so any build
/// (an old commit's included) is measured alike, whatever its GC mode.
/// </summary>
public sealed class AllocationMeter : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private const string Instrument = "dotnet.gc.heap.total_allocated";

    private readonly EventPipeSession _session;
    private readonly Lock _gate = new();
    private readonly List<(DateTime At, long Total)> _readings = [];
    private readonly Task _reading;
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AllocationMeter(EventPipeSession session)
    {
        _session = session;
        _reading = Task.Factory.StartNew(Read, TaskCreationOptions.LongRunning);
    }

    public static AllocationMeter Attach(int processId)
    {
        var arguments = new Dictionary<string, string>
        {
            ["SessionId"] = Guid.NewGuid().ToString(),
            ["Metrics"] = $"System.Runtime\\{Instrument}",
            ["RefreshInterval"] = Interval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["MaxTimeSeries"] = "10",
            ["MaxHistograms"] = "10",
        };
        // Keyword 0x2 is the event source's time-series values (the published counter readings).
        var provider = new EventPipeProvider("System.Diagnostics.Metrics", EventLevel.Informational, 0x2, arguments);
        return new AllocationMeter(new DiagnosticsClient(processId).StartEventPipeSession([provider], requestRundown: false));
    }

    /// <summary>
    /// Bytes allocated while <paramref name="work"/> ran, between two readings taken while the process was idle: one taken
    /// after the call (so after whatever load came before, a warm-up say), awaited before the work starts; and the second
    /// one taken after the work ended. A reading is stamped when it is written, which on a loaded machine can be tens of
    /// milliseconds after the count was read (the first reading stamped after the end may have been counted before it;
    /// the next one, an interval later, was not). The readings arrive a few hundred milliseconds after they are taken.
    /// The difference also holds that idle time, which costs the process a few kilobytes a second.
    /// </summary>
    public async Task<(T Result, long Bytes)> MeasureAsync<T>(Func<Task<T>> work)
    {
        var before = await ReadingAsync(DateTime.UtcNow, skip: 0);
        var result = await work();
        var after = await ReadingAsync(DateTime.UtcNow, skip: 1);
        return (result, after - before);
    }

    /// <summary>The first reading stamped at or after <paramref name="at"/>, or the <paramref name="skip"/>-th one after it,
    /// once it has arrived.</summary>
    private async Task<long> ReadingAsync(DateTime at, int skip)
    {
        while (true)
        {
            Task published;
            lock (_gate)
            {
                if (_readings.FindIndex(r => r.At >= at) is var index and >= 0 && index + skip < _readings.Count)
                {
                    return _readings[index + skip].Total;
                }
                published = _published.Task;
            }
            await published.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private void Read()
    {
        using var source = new EventPipeEventSource(_session.EventStream);
        source.Dynamic.All += data =>
        {
            // Version 1 of the event (.NET 8) and later carry the counter's running total as "value" beside the rate.
            if (data.EventName == "CounterRateValuePublished" && (string)data.PayloadByName("instrumentName") == Instrument)
            {
                Published(data.TimeStamp.ToUniversalTime(), (long)double.Parse((string)data.PayloadByName("value"), CultureInfo.InvariantCulture));
            }
        };
        source.Process();
    }

    private void Published(DateTime at, long total)
    {
        TaskCompletionSource published;
        lock (_gate)
        {
            _readings.Add((at, total));
            published = _published;
            _published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        published.SetResult();
    }

    public void Dispose()
    {
        try
        {
            _session.Stop();
        }
        catch (ServerNotAvailableException)
        {
            // The process has already exited: its session ended with it.
        }
        _reading.Wait(TimeSpan.FromSeconds(5));
        _session.Dispose();
    }
}
