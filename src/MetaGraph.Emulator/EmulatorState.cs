using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Diagnostics;
using MetaGraph.Emulator.Errors;
using MetaGraph.Emulator.Graph;
using MetaGraph.Emulator.Live;
using MetaGraph.Emulator.Runtime;
using MetaGraph.Emulator.Send;
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
        ArgumentOutOfRangeException.ThrowIfNegative(Options.LargePageConversations);
        time ??= TimeProvider.System;
        var seeded = InboxGenerator.Generate(Options);
        Seed = seeded.Pages.Select(p => new SeedPage(p.PageId, p.AccessToken, p.InstagramAccountId,
            new SeedConversationCounts(p.Folder(InboxPlatform.Messenger).Count, p.Folder(InboxPlatform.Instagram).Count))).ToArray();
        _runtime = Validated(new EmulatorRuntimeConfig(Options.LatencyMs, Options.FaultRate, Options.RateLimitPerSecond ?? 0,
            Options.LatencyJitterMs, WebhookUrl: "", AppSecret: Options.AppSecret, WebhookDuplicateRate: 0, WebhookReorder: false,
            WebhookMaxAttempts: 5, WebhookRetryDelayMs: 500, ProfileCallsPerDay: Options.ProfileCallsPerDay ?? 0,
            ProfileCallsPerEngagedUser: Options.ProfileCallsPerEngagedUser ?? 0, SendCallsPerSecond: Options.SendCallsPerSecond ?? 0,
            SendMediaCallsPerSecond: Options.SendMediaCallsPerSecond ?? 0, ThreadMessagesPerMinute: Options.ThreadMessagesPerMinute ?? 0));
        Clock = new EmulatorClock(time);
        Log = new RequestLog();
        Faults = new FaultInjector(Options.Seed ^ 0x0FA017);
        TraceIds = new TraceIds(Options.Seed ^ 0x7EACE);
        RequestIds = new TraceIds(Options.Seed ^ 0x4E0_1D);
        Revision = (1_030_000_000 + (uint)Options.Seed % 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Allowances = new Allowances(() => Runtime, new RateLimiter(Clock));
        Authentication = new Authentication(Options.AppSecret, time);
        Webhooks = new WebhookDelivery(() => Runtime, Options.Seed, time);
        Inbox = new LiveInbox(seeded, Options.Seed, Clock, Webhooks);
    }

    public EmulatorOptions Options { get; }

    /// <summary>The emulator's "now", which tests may move or stop.</summary>
    public EmulatorClock Clock { get; }

    /// <summary>The data now: the seeded inboxes with every message, read and unsend made since. Each read is a snapshot.</summary>
    public InboxData Data => Inbox.Current;

    /// <summary>The seeded Pages and how many conversations they were seeded with.</summary>
    public IReadOnlyList<SeedPage> Seed { get; }

    /// <summary>The behaviour in force, every value set; <see cref="EmulatorRuntimeConfig.RateLimitPerSecond"/> is null when
    /// unlimited and <see cref="EmulatorRuntimeConfig.WebhookUrl"/> null when webhooks are off.</summary>
    public EmulatorRuntimeConfig Runtime => Volatile.Read(ref _runtime);

    public IReadOnlyList<RecordedRequest> Requests => Log.Snapshot();

    /// <summary>Every Send API call processed since the last reset, in order.</summary>
    public IReadOnlyList<SentMessage> SentMessages => Sends.Snapshot();

    public void ResetSentMessages() => Sends.Clear();

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
            Allowances.Reset();
        }
    }

    /// <summary>Takes one lost answer from <see cref="EmulatorRuntimeConfig.SendAnswerLoss"/>, if any is left.</summary>
    internal bool TryLoseAnswer(out AnswerLossMode mode)
    {
        lock (_configuring)
        {
            mode = default;
            if (Runtime.SendAnswerLoss is not { } loss)
            {
                return false;
            }
            mode = loss.Mode;
            Volatile.Write(ref _runtime, _runtime with { SendAnswerLoss = loss.Count > 1 ? loss with { Count = loss.Count - 1 } : null });
            return true;
        }
    }

    public async ValueTask DisposeAsync() => await Webhooks.DisposeAsync();

    internal RequestLog Log { get; }
    internal FaultInjector Faults { get; }
    internal TraceIds TraceIds { get; }
    /// <summary>The <c>x-fb-request-id</c>s and <c>x-fb-trace-id</c>s of answers, from their own sequence so the errors'
    /// <c>fbtrace_id</c>s stay as they were.</summary>
    internal TraceIds RequestIds { get; }
    /// <summary>The <c>x-fb-rev</c> this emulator answers with, as one deployment of Meta's does.</summary>
    internal string Revision { get; }
    internal Allowances Allowances { get; }
    internal Authentication Authentication { get; }
    internal SendLog Sends { get; } = new();
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
        config.WebhookRetryDelayMs ?? current.WebhookRetryDelayMs,
        config.ProfileCallsPerDay ?? current.ProfileCallsPerDay ?? 0,
        config.ProfileCallsPerEngagedUser ?? current.ProfileCallsPerEngagedUser ?? 0,
        config.SendCallsPerSecond ?? current.SendCallsPerSecond ?? 0,
        config.SendMediaCallsPerSecond ?? current.SendMediaCallsPerSecond ?? 0,
        config.ThreadMessagesPerMinute ?? current.ThreadMessagesPerMinute ?? 0,
        config.SendAnswerLoss ?? current.SendAnswerLoss);

    /// <summary>An allowance of 0 is off: null, as <see cref="Runtime"/> shows it.</summary>
    private static int? OnlyWhenOn(int? allowance) => allowance > 0 ? allowance : null;

    private static EmulatorRuntimeConfig Validated(EmulatorRuntimeConfig config)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(config.LatencyMs!.Value, nameof(config.LatencyMs));
        ArgumentOutOfRangeException.ThrowIfNegative(config.LatencyJitterMs!.Value, nameof(config.LatencyJitterMs));
        if (config.FaultRate is not (>= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(config.FaultRate), config.FaultRate, "The fault rate is a probability, from 0 to 1.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(config.RateLimitPerSecond!.Value, nameof(config.RateLimitPerSecond));
        foreach (var (name, allowance) in (ReadOnlySpan<(string, int?)>)[(nameof(config.ProfileCallsPerDay), config.ProfileCallsPerDay),
            (nameof(config.ProfileCallsPerEngagedUser), config.ProfileCallsPerEngagedUser), (nameof(config.SendCallsPerSecond), config.SendCallsPerSecond),
            (nameof(config.SendMediaCallsPerSecond), config.SendMediaCallsPerSecond), (nameof(config.ThreadMessagesPerMinute), config.ThreadMessagesPerMinute),
            (nameof(config.SendAnswerLoss), config.SendAnswerLoss?.Count)])
        {
            ArgumentOutOfRangeException.ThrowIfNegative(allowance ?? 0, name);
        }
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
        return config with
        {
            RateLimitPerSecond = OnlyWhenOn(config.RateLimitPerSecond),
            WebhookUrl = webhookUrl,
            ProfileCallsPerDay = OnlyWhenOn(config.ProfileCallsPerDay),
            ProfileCallsPerEngagedUser = OnlyWhenOn(config.ProfileCallsPerEngagedUser),
            SendCallsPerSecond = OnlyWhenOn(config.SendCallsPerSecond),
            SendMediaCallsPerSecond = OnlyWhenOn(config.SendMediaCallsPerSecond),
            ThreadMessagesPerMinute = OnlyWhenOn(config.ThreadMessagesPerMinute),
            SendAnswerLoss = config.SendAnswerLoss is { Count: > 0 } loss ? loss : null,
        };
    }
}
