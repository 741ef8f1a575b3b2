namespace MetaGraph.Emulator.Runtime;

/// <summary>One of the allowances Meta prices separately ("Messenger Platform rate limits"), with the length of its
/// sliding window.</summary>
internal sealed record RatedApi(string Name, TimeSpan Window)
{
    /// <summary>Conversation listings, threads, message edges and message reads: calls per second per Page.</summary>
    public static readonly RatedApi Conversations = new("conversations", TimeSpan.FromSeconds(1));

    /// <summary>The rest of the Messenger API, user profile reads among it: calls per rolling 24 hours per Page.</summary>
    public static readonly RatedApi Profiles = new("profiles", TimeSpan.FromDays(1));

    /// <summary>Send API calls with text, links, reactions, stickers, images, files and sender actions: per second per Page.</summary>
    public static readonly RatedApi Send = new("send", TimeSpan.FromSeconds(1));

    /// <summary>Send API calls with audio or video: per second per Page.</summary>
    public static readonly RatedApi SendMedia = new("send_media", TimeSpan.FromSeconds(1));

    /// <summary>Messages the Page sends to one thread: per minute per conversation (Meta documents no number).</summary>
    public static readonly RatedApi Thread = new("thread", TimeSpan.FromMinutes(1));
}

/// <summary>What the rate limiter decided for a call, and the usage to report in the headers.</summary>
/// <param name="Percent">Share of the allowance used in the current window.</param>
/// <param name="RegainMinutes">Minutes until the refused calls would fit again, rounded up; 0 when allowed.</param>
internal readonly record struct RateDecision(RatedApi Api, bool Allowed, string PageId, int Percent, int RegainMinutes);

/// <summary>Calls in sliding windows, one per allowance and scope (a Page, or one thread of it), on the emulator's clock so
/// a test can move past a window instead of waiting for it. A refused call is not counted. Thread-safe.</summary>
internal sealed class RateLimiter(EmulatorClock clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(RatedApi, string), Window> _windows = [];

    public RateDecision Consume(RatedApi api, string pageId, string scope, int calls, int limit)
    {
        var now = clock.Now;
        lock (_gate)
        {
            if (!_windows.TryGetValue((api, scope), out var window))
            {
                _windows[(api, scope)] = window = new Window();
            }
            while (window.Calls.TryPeek(out var oldest) && now - oldest.Time >= api.Window)
            {
                window.Calls.Dequeue();
                window.Used -= oldest.Count;
            }
            if (window.Used + calls > limit)
            {
                return new RateDecision(api, false, pageId, 100, RegainMinutes(api, window, window.Used + calls - limit, now));
            }
            window.Calls.Enqueue((now, calls));
            window.Used += calls;
            return new RateDecision(api, true, pageId, Math.Min(100, window.Used * 100 / limit), 0);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _windows.Clear();
        }
    }

    /// <summary>When enough of the oldest calls leave the window for <paramref name="excess"/> more to fit, in whole minutes
    /// (Meta reports minutes); a request larger than the allowance waits a whole window.</summary>
    private static int RegainMinutes(RatedApi api, Window window, int excess, DateTimeOffset now)
    {
        var freedAt = now + api.Window;
        var freed = 0;
        foreach (var (time, count) in window.Calls)
        {
            freed += count;
            if (freed >= excess)
            {
                freedAt = time + api.Window;
                break;
            }
        }
        return Math.Max(1, (int)Math.Ceiling((freedAt - now).TotalMinutes));
    }

    private sealed class Window
    {
        public Queue<(DateTimeOffset Time, int Count)> Calls { get; } = new();
        public int Used { get; set; }
    }
}
