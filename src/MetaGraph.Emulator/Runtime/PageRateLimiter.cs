namespace MetaGraph.Emulator.Runtime;

/// <summary>What the rate limiter decided for a call, and the usage to report in the headers.</summary>
/// <param name="Percent">Share of the Page's allowance used in the current one-second window.</param>
/// <param name="RegainMinutes">Minutes until calls are accepted again; 0 when not limited.</param>
internal readonly record struct RateDecision(bool Allowed, string PageId, int Percent, int RegainMinutes);

/// <summary>Calls per Page in a sliding one-second window. Thread-safe.</summary>
internal sealed class PageRateLimiter(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public RateDecision Consume(string pageId, int calls, int limit)
    {
        var now = time.GetTimestamp();
        var second = time.TimestampFrequency;
        lock (_gate)
        {
            if (!_windows.TryGetValue(pageId, out var window))
            {
                _windows[pageId] = window = new Window();
            }
            while (window.Calls.TryPeek(out var oldest) && now - oldest.Timestamp >= second)
            {
                window.Calls.Dequeue();
                window.Used -= oldest.Count;
            }
            if (window.Used + calls > limit)
            {
                // The window is one second, so access comes back within the minute Meta would round up to.
                return new RateDecision(false, pageId, 100, 1);
            }
            window.Calls.Enqueue((now, calls));
            window.Used += calls;
            return new RateDecision(true, pageId, Math.Min(100, window.Used * 100 / limit), 0);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _windows.Clear();
        }
    }

    private sealed class Window
    {
        public Queue<(long Timestamp, int Count)> Calls { get; } = new();
        public int Used { get; set; }
    }
}
