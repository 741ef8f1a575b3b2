using MetaGraph.Emulator.Errors;

namespace MetaGraph.Emulator.Runtime;

/// <summary>Transient Meta-side failures at a configured rate, and latency jitter, drawn from a seeded sequence: the
/// same seed and the same order of calls fail the same calls. Thread-safe.</summary>
internal sealed class FaultInjector(int seed)
{
    private readonly Lock _gate = new();
    private readonly Random _random = new(seed);

    /// <summary>Extra latency in milliseconds, from 0 to <paramref name="maxMs"/>.</summary>
    public int NextJitter(int maxMs)
    {
        if (maxMs <= 0)
        {
            return 0;
        }
        lock (_gate)
        {
            return _random.Next(maxMs + 1);
        }
    }

    public GraphError? Next(double rate)
    {
        if (rate <= 0)
        {
            return null;
        }
        lock (_gate)
        {
            if (_random.NextDouble() >= rate)
            {
                return null;
            }
            return _random.Next(2) == 0 ? GraphErrors.ServiceError() : GraphErrors.Unavailable();
        }
    }
}
