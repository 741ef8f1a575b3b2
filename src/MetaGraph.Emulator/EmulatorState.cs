using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Diagnostics;
using MetaGraph.Emulator.Errors;
using MetaGraph.Emulator.Graph;
using MetaGraph.Emulator.Live;
using MetaGraph.Emulator.Runtime;
using MetaGraph.Emulator.Webhooks;

namespace MetaGraph.Emulator;

/// <summary>One emulator instance: its data, its run-time behaviour, its request log, its per-Page call windows and its
/// webhook deliveries. Host it in any web app with <see cref="EmulatorEndpoints.MapMetaGraphEmulator"/>. Thread-safe.</summary>
public sealed class EmulatorState : IAsyncDisposable
{
    private const int MaxWebhookAttempts = 10;

    private readonly Lock _configuring = new();
    private EmulatorRuntimeConfig _runtime;

    public EmulatorState(EmulatorOptions? options = null, TimeProvider? time = null)
    {
        Options = options ?? new EmulatorOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(Options.Pages);
        ArgumentOutOfRangeException.ThrowIfNegative(Options.ConversationsPerPlatform);
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxMessagesPerConversation, 1);
        time ??= TimeProvider.System;
        var seeded = InboxGenerator.Generate(Options);
        Seed = seeded.Pages.Select(p => new SeedPage(p.PageId, p.AccessToken, p.InstagramAccountId,
            new SeedConversationCounts(p.Folder(InboxPlatform.Messenger).Count, p.Folder(InboxPlatform.Instagram).Count))).ToArray();
        _runtime = Validated(new EmulatorRuntimeConfig(Options.LatencyMs, Options.FaultRate, Options.RateLimitPerSecond ?? 0,
            Options.LatencyJitterMs, WebhookUrl: "", AppSecret: Options.AppSecret, WebhookDuplicateRate: 0, WebhookReorder: false,
            WebhookMaxAttempts: 5, WebhookRetryDelayMs: 500));
        Log = new RequestLog();
        Faults = new FaultInjector(Options.Seed ^ 0x0FA017);
        TraceIds = new TraceIds(Options.Seed ^ 0x7EACE);
        RateLimiter = new PageRateLimiter(time);
        Authentication = new Authentication(Options.AppSecret, time);
        Webhooks = new WebhookDelivery(() => Runtime, Options.Seed, time);
        Inbox = new LiveInbox(seeded, Options.Seed, time, Webhooks);
    }

    public EmulatorOptions Options { get; }

    /// <summary>The data now: the seeded inboxes with every message, read and unsend made since. Each read is a snapshot.</summary>
    public InboxData Data => Inbox.Current;

    /// <summary>The seeded Pages and how many conversations they were seeded with.</summary>
    public IReadOnlyList<SeedPage> Seed { get; }

    /// <summary>The behaviour in force, every value set; <see cref="EmulatorRuntimeConfig.RateLimitPerSecond"/> is null when
    /// unlimited and <see cref="EmulatorRuntimeConfig.WebhookUrl"/> null when webhooks are off.</summary>
    public EmulatorRuntimeConfig Runtime => Volatile.Read(ref _runtime);

    public IReadOnlyList<RecordedRequest> Requests => Log.Snapshot();

    public void ResetRequests() => Log.Clear();

    public int AbandonedRequests => Log.Abandoned;

    /// <summary>Changes what <paramref name="config"/> names and keeps the rest; rate-limit windows start afresh. A new
    /// webhook URL is verified with Meta's handshake first, and is not taken when the handshake fails.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative latency or rate limit, or a fault rate outside 0..1.</exception>
    /// <exception cref="EmulatorConfigException">A webhook setting is invalid, or the webhook URL failed verification.</exception>
    public async Task ConfigureAsync(EmulatorRuntimeConfig config, CancellationToken cancellationToken = default)
    {
        var next = Validated(Merged(Runtime, config));
        if (!string.IsNullOrEmpty(config.WebhookUrl))
        {
            await Webhooks.VerifyAsync(next.WebhookUrl!, next.WebhookVerifyToken!, cancellationToken);
        }
        lock (_configuring)
        {
            Volatile.Write(ref _runtime, Validated(Merged(Runtime, config)));
            RateLimiter.Reset();
        }
    }

    public async ValueTask DisposeAsync() => await Webhooks.DisposeAsync();

    internal RequestLog Log { get; }
    internal FaultInjector Faults { get; }
    internal TraceIds TraceIds { get; }
    internal PageRateLimiter RateLimiter { get; }
    internal Authentication Authentication { get; }
    internal WebhookDelivery Webhooks { get; }
    internal LiveInbox Inbox { get; }

    private static EmulatorRuntimeConfig Merged(EmulatorRuntimeConfig current, EmulatorRuntimeConfig config) => new(
        config.LatencyMs ?? current.LatencyMs,
        config.FaultRate ?? current.FaultRate,
        config.RateLimitPerSecond ?? current.RateLimitPerSecond ?? 0,
        config.LatencyJitterMs ?? current.LatencyJitterMs,
        config.WebhookUrl ?? current.WebhookUrl ?? "",
        config.AppSecret ?? current.AppSecret,
        config.WebhookVerifyToken ?? current.WebhookVerifyToken,
        config.WebhookDuplicateRate ?? current.WebhookDuplicateRate,
        config.WebhookReorder ?? current.WebhookReorder,
        config.WebhookMaxAttempts ?? current.WebhookMaxAttempts,
        config.WebhookRetryDelayMs ?? current.WebhookRetryDelayMs);

    private static EmulatorRuntimeConfig Validated(EmulatorRuntimeConfig config)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(config.LatencyMs!.Value, nameof(config.LatencyMs));
        ArgumentOutOfRangeException.ThrowIfNegative(config.LatencyJitterMs!.Value, nameof(config.LatencyJitterMs));
        if (config.FaultRate is not (>= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(config.FaultRate), config.FaultRate, "The fault rate is a probability, from 0 to 1.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(config.RateLimitPerSecond!.Value, nameof(config.RateLimitPerSecond));
        if (config.WebhookDuplicateRate is not (>= 0 and <= 1))
        {
            throw new EmulatorConfigException("webhookDuplicateRate is a probability, from 0 to 1.");
        }
        if (config.WebhookMaxAttempts is not (>= 1 and <= MaxWebhookAttempts) || config.WebhookRetryDelayMs is not (>= 0 and <= 60_000))
        {
            throw new EmulatorConfigException($"webhookMaxAttempts is from 1 to {MaxWebhookAttempts} and webhookRetryDelayMs from 0 to 60000.");
        }
        var webhookUrl = config.WebhookUrl is { Length: > 0 } url ? url : null;
        if (webhookUrl is not null)
        {
            if (!Uri.TryCreate(webhookUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new EmulatorConfigException("webhookUrl must be an absolute http or https URL, or \"\" to turn webhooks off.");
            }
            if (string.IsNullOrEmpty(config.AppSecret) || string.IsNullOrEmpty(config.WebhookVerifyToken))
            {
                throw new EmulatorConfigException("Webhooks need an appSecret to sign with and a webhookVerifyToken for the handshake " +
                    "(send them with the webhookUrl, or start the emulator with --app-secret).");
            }
        }
        return config with { RateLimitPerSecond = config.RateLimitPerSecond > 0 ? config.RateLimitPerSecond : null, WebhookUrl = webhookUrl };
    }
}
