using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Diagnostics;
using MetaGraph.Emulator.Errors;
using MetaGraph.Emulator.Graph;
using MetaGraph.Emulator.Runtime;

namespace MetaGraph.Emulator;

/// <summary>One emulator instance: its data, its run-time behaviour, its request log and its per-Page call windows.
/// Host it in any web app with <see cref="EmulatorEndpoints.MapMetaGraphEmulator"/>. Thread-safe.</summary>
public sealed class EmulatorState
{
    private readonly Lock _configuring = new();
    private EmulatorRuntimeConfig _runtime;

    public EmulatorState(EmulatorOptions? options = null, TimeProvider? time = null)
    {
        Options = options ?? new EmulatorOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(Options.Pages);
        ArgumentOutOfRangeException.ThrowIfNegative(Options.ConversationsPerPlatform);
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxMessagesPerConversation, 1);
        time ??= TimeProvider.System;
        Data = InboxGenerator.Generate(Options);
        Seed = Data.Pages.Select(p => new SeedPage(p.PageId, p.AccessToken, p.InstagramAccountId,
            new SeedConversationCounts(p.Folder(InboxPlatform.Messenger).Count, p.Folder(InboxPlatform.Instagram).Count))).ToArray();
        _runtime = Validated(new EmulatorRuntimeConfig(Options.LatencyMs, Options.FaultRate, Options.RateLimitPerSecond ?? 0, Options.LatencyJitterMs));
        Log = new RequestLog();
        Faults = new FaultInjector(Options.Seed ^ 0x0FA017);
        TraceIds = new TraceIds(Options.Seed ^ 0x7EACE);
        RateLimiter = new PageRateLimiter(time);
        Authentication = new Authentication(Data, Options.AppSecret, time);
        Reader = new GraphReader(Data);
    }

    public EmulatorOptions Options { get; }

    public InboxData Data { get; }

    public IReadOnlyList<SeedPage> Seed { get; }

    /// <summary>The behaviour in force, every value set; <see cref="EmulatorRuntimeConfig.RateLimitPerSecond"/> is null when unlimited.</summary>
    public EmulatorRuntimeConfig Runtime => Volatile.Read(ref _runtime);

    public IReadOnlyList<RecordedRequest> Requests => Log.Snapshot();

    public void ResetRequests() => Log.Clear();

    /// <summary>Changes latency, fault rate or rate limit; the others stay. Rate-limit windows start afresh.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative latency or rate limit, or a fault rate outside 0..1.</exception>
    public void Configure(EmulatorRuntimeConfig config)
    {
        lock (_configuring)
        {
            var current = Runtime;
            Volatile.Write(ref _runtime, Validated(new EmulatorRuntimeConfig(
                config.LatencyMs ?? current.LatencyMs,
                config.FaultRate ?? current.FaultRate,
                config.RateLimitPerSecond ?? current.RateLimitPerSecond ?? 0,
                config.LatencyJitterMs ?? current.LatencyJitterMs)));
            RateLimiter.Reset();
        }
    }

    internal RequestLog Log { get; }
    internal FaultInjector Faults { get; }
    internal TraceIds TraceIds { get; }
    internal PageRateLimiter RateLimiter { get; }
    internal Authentication Authentication { get; }
    internal GraphReader Reader { get; }

    private static EmulatorRuntimeConfig Validated(EmulatorRuntimeConfig config)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(config.LatencyMs!.Value, nameof(config.LatencyMs));
        ArgumentOutOfRangeException.ThrowIfNegative(config.LatencyJitterMs!.Value, nameof(config.LatencyJitterMs));
        if (config.FaultRate is not (>= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(config.FaultRate), config.FaultRate, "The fault rate is a probability, from 0 to 1.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(config.RateLimitPerSecond!.Value, nameof(config.RateLimitPerSecond));
        return config with { RateLimitPerSecond = config.RateLimitPerSecond > 0 ? config.RateLimitPerSecond : null };
    }
}
