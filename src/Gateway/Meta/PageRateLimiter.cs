using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Gateway.Schema;
using Gateway.Telemetry;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.Meta;

public sealed class RateLimitOptions
{
    public const string Section = "Meta:RateLimit";

    /// <summary>Meta's documented allowance for the conversations endpoints: 2 calls per second per Page.</summary>
    public int CallsPerSecond { get; set; } = 2;

    /// <summary>How long a call may wait for its turn before its fields fail with <c>META_RATE_LIMITED</c>.</summary>
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Usage (percent of any allowance Meta reports) from which calls are spaced out, before Meta enforces.</summary>
    public int SlowDownAtPercent { get; set; } = 90;

    /// <summary>How long a Page is left alone after Meta answered a rate-limit error without saying for how long.</summary>
    public TimeSpan CoolDownAfterRateLimit { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Keeps each Page under Meta's allowance before Meta enforces it: a sliding one-second window per Page (Meta counts
/// every id of an <c>ids=</c> read and every batch item as a call), a pause when Meta's usage headers approach 100%,
/// and a fast refusal while Meta's <c>estimated_time_to_regain_access</c> runs. Pages are keyed by a hash of their
/// token, so no token is kept as a key or shows up in a dump.
/// </summary>
public sealed class PageRateLimiter : IDisposable
{
    private readonly RateLimitOptions _options;
    private readonly TimeProvider _time;
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _blockedUntil = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pausedUntil = new();

    public PageRateLimiter(IOptions<RateLimitOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        var limit = Math.Max(1, _options.CallsPerSecond);
        // The window's timer may free a permit up to one segment early, so the window is one segment longer than a second.
        const int segments = 10;
        _limiter = PartitionedRateLimiter.Create<string, string>(page => RateLimitPartition.GetSlidingWindowLimiter(page, _ =>
            new SlidingWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = TimeSpan.FromSeconds(1) + TimeSpan.FromSeconds(1.0 / segments),
                SegmentsPerWindow = segments + 1,
                QueueLimit = 10_000,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Waits for the Page's turn for <paramref name="calls"/> Meta calls, or fails them as rate limited.</summary>
    public async ValueTask AcquireAsync(string accessToken, int calls, CancellationToken cancellationToken)
    {
        var page = PageKey(accessToken);
        var now = _time.GetUtcNow();
        if (_blockedUntil.TryGetValue(page, out var blockedUntil) && blockedUntil > now)
        {
            throw RateLimited(blockedUntil - now, "Meta asked this Page to wait before calling again.");
        }
        var started = _time.GetTimestamp();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(_options.MaxQueueWait);
        try
        {
            if (_pausedUntil.TryGetValue(page, out var pausedUntil) && pausedUntil > now)
            {
                await Task.Delay(pausedUntil - now, _time, wait.Token);
            }
            // A read of more ids than the window holds still costs at most a full window.
            using var lease = await _limiter.AcquireAsync(page, Math.Min(calls, Math.Max(1, _options.CallsPerSecond)), wait.Token);
            if (!lease.IsAcquired)
            {
                throw RateLimited(TimeSpan.FromSeconds(1), "Too many calls are queued for this Page.");
            }
            GatewayTelemetry.RateLimitWait.Record(_time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw RateLimited(TimeSpan.FromSeconds(1), "This Page's Graph API allowance is in use; the call waited too long for its turn.");
        }
    }

    /// <summary>Reads Meta's usage after every call, successful or not.</summary>
    public void Observe(string accessToken, GraphUsage usage, bool wasRateLimited)
    {
        var page = PageKey(accessToken);
        var now = _time.GetUtcNow();
        var regainIn = usage.BusinessUseCase.Values.SelectMany(entries => entries)
            .Select(entry => entry.EstimatedTimeToRegainAccess).DefaultIfEmpty(TimeSpan.Zero).Max();
        if (regainIn > TimeSpan.Zero || wasRateLimited)
        {
            var until = now + (regainIn > TimeSpan.Zero ? regainIn : _options.CoolDownAfterRateLimit);
            _blockedUntil.AddOrUpdate(page, until, (_, existing) => existing > until ? existing : until);
            return;
        }
        var highest = usage.BusinessUseCase.Values.SelectMany(entries => entries)
            .Select(entry => Math.Max(entry.CallCount, Math.Max(entry.TotalTime, entry.TotalCpuTime)))
            .Append(usage.App is { } app ? Math.Max(app.CallCount, Math.Max(app.TotalTime, app.TotalCpuTime)) : 0)
            .Max();
        if (highest >= _options.SlowDownAtPercent)
        {
            // Space calls out more the closer usage gets to 100%.
            var pause = TimeSpan.FromSeconds(Math.Min(100, highest - _options.SlowDownAtPercent + 1) / (100.0 - _options.SlowDownAtPercent + 1));
            _pausedUntil[page] = now + pause;
        }
    }

    public void Dispose() => _limiter.Dispose();

    private static GatewayError RateLimited(TimeSpan retryAfter, string message)
        => new("META_RATE_LIMITED", message, new Dictionary<string, object?> { ["retryAfter"] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) });

    private static string PageKey(string accessToken) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(accessToken)));
}
