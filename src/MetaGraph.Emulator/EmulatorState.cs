using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Graph;

namespace MetaGraph.Emulator;

/// <summary>Everything one emulator instance holds: its data, its run-time behaviour, its request log and its
/// per-Page call windows. Thread-safe.</summary>
public sealed class EmulatorState
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Dictionary<string, Queue<(long Ticks, int Calls)>> _windows = [];
    private readonly Random _random;
    private readonly TimeProvider _time;

    public EmulatorState(EmulatorOptions options, TimeProvider? time = null)
    {
        Options = options;
        Data = InboxGenerator.Generate(options);
        Api = new GraphApi(Data, options);
        _random = new Random(options.Seed ^ 0x5EED);
        _time = time ?? TimeProvider.System;
        LatencyMs = options.LatencyMs;
        FaultRate = options.FaultRate;
        RateLimitPerSecond = options.RateLimitPerSecond;
        Seed = Data.Pages.Select(p => new SeedPage(p.PageId, p.AccessToken, p.InstagramAccountId,
            new SeedConversationCounts(p.On(InboxPlatform.Messenger).Count(), p.On(InboxPlatform.Instagram).Count()))).ToList();
    }

    public EmulatorOptions Options { get; }
    public InboxData Data { get; }
    public GraphApi Api { get; }
    public IReadOnlyList<SeedPage> Seed { get; }
    public int LatencyMs { get; private set; }
    public double FaultRate { get; private set; }
    public int? RateLimitPerSecond { get; private set; }

    public void Configure(EmulatorRuntimeConfig config)
    {
        lock (_gate)
        {
            LatencyMs = Math.Max(0, config.LatencyMs ?? LatencyMs);
            FaultRate = Math.Clamp(config.FaultRate ?? FaultRate, 0, 1);
            RateLimitPerSecond = config.RateLimitPerSecond is { } limit ? (limit > 0 ? limit : null) : RateLimitPerSecond;
            _windows.Clear();
        }
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    public void Record(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    public void ResetRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    public string NextTraceId()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        lock (_gate)
        {
            return string.Create(11, _random, (span, random) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = alphabet[random.Next(alphabet.Length)];
                }
            });
        }
    }

    /// <summary>A transient Meta-side failure, drawn from the seeded sequence at the configured rate.</summary>
    public GraphError? NextFault()
    {
        lock (_gate)
        {
            if (FaultRate <= 0 || _random.NextDouble() >= FaultRate)
            {
                return null;
            }
            return _random.Next(2) == 0
                ? new GraphError(500, 2, "An unexpected error has occurred. Please retry your request later.", "OAuthException", transient: true)
                : new GraphError(503, 1, "An unknown error occurred", "OAuthException", transient: true);
        }
    }

    /// <summary>Counts <paramref name="calls"/> against the Page's one-second window.</summary>
    public RateWindow Consume(string pageId, int calls)
    {
        lock (_gate)
        {
            if (RateLimitPerSecond is not { } limit)
            {
                return new RateWindow(true, 0, TimeSpan.Zero, false);
            }
            var now = _time.GetTimestamp();
            var windowTicks = _time.TimestampFrequency;
            if (!_windows.TryGetValue(pageId, out var window))
            {
                _windows[pageId] = window = new Queue<(long, int)>();
            }
            while (window.Count > 0 && now - window.Peek().Ticks >= windowTicks)
            {
                window.Dequeue();
            }
            var used = window.Sum(entry => entry.Calls);
            if (used + calls > limit)
            {
                var regain = window.Count > 0 ? TimeSpan.FromSeconds((double)(windowTicks - (now - window.Peek().Ticks)) / windowTicks) : TimeSpan.Zero;
                return new RateWindow(false, Math.Min(100, used * 100 / limit), regain, true);
            }
            window.Enqueue((now, calls));
            return new RateWindow(true, Math.Min(100, (used + calls) * 100 / limit), TimeSpan.Zero, true);
        }
    }
}

/// <param name="Percent">Share of the Page's allowance used in the current window.</param>
/// <param name="RegainIn">How long until the window frees up, when refused.</param>
/// <param name="Limited">Whether a limit is configured at all (usage headers are sent only then).</param>
public sealed record RateWindow(bool Allowed, int Percent, TimeSpan RegainIn, bool Limited);
