using System.Net.Http.Headers;
using System.Threading.Channels;

namespace MetaGraph.Emulator.Webhooks;

/// <summary>Sends the living inbox's events to the configured webhook URL, in order, one POST at a time: whatever is
/// queued when a POST is due goes in it (up to 1,000 entries per object, as Meta batches), a non-2xx answer or a
/// connection failure is retried with doubling waits, and the seeded fault knobs duplicate or reorder POSTs.</summary>
internal sealed class WebhookDelivery : IAsyncDisposable
{
    private const int MaxEntriesPerPost = 1000;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    private readonly Func<EmulatorRuntimeConfig> _config;
    private readonly TimeProvider _time;
    private readonly Channel<IReadOnlyList<WebhookEvent>> _queue = Channel.CreateUnbounded<IReadOnlyList<WebhookEvent>>(
        new UnboundedChannelOptions { SingleReader = true });
    // Drawn only by the delivery loop, so the same seed and the same events give the same faults.
    private readonly Random _faults;
    private readonly Random _challenges;
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _disposed;

    public WebhookDelivery(Func<EmulatorRuntimeConfig> config, int seed, TimeProvider time)
    {
        _config = config;
        _time = time;
        _faults = new Random(seed ^ 0x3EB400C);
        _challenges = new Random(seed ^ 0xC4A11E);
        _loop = Task.Run(() => DeliverAsync(_stopping.Token));
    }

    public WebhookLog Log { get; } = new();

    /// <summary>Queues events that happened together; nothing is queued while no webhook URL is configured.</summary>
    public void Enqueue(IReadOnlyList<WebhookEvent> events)
    {
        if (events.Count > 0 && _config().WebhookUrl is not null)
        {
            _queue.Writer.TryWrite(events);
        }
    }

    /// <summary>Meta's verification handshake: <c>GET url?hub.mode=subscribe&amp;hub.challenge=n&amp;hub.verify_token=t</c>
    /// must answer 2xx with the challenge as its body.</summary>
    /// <exception cref="EmulatorConfigException">The URL did not answer, or not with the challenge.</exception>
    public async Task VerifyAsync(string url, string verifyToken, CancellationToken cancellationToken)
    {
        string challenge;
        lock (_challenges)
        {
            challenge = _challenges.Next(100_000_000, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var query = $"hub.mode=subscribe&hub.challenge={challenge}&hub.verify_token={Uri.EscapeDataString(verifyToken)}";
        try
        {
            using var response = await _http.GetAsync($"{url}{(url.Contains('?') ? '&' : '?')}{query}", cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new EmulatorConfigException($"The webhook URL failed verification: its GET answered {(int)response.StatusCode}. " +
                    "It must answer 200 with the hub.challenge value when hub.verify_token is the configured webhookVerifyToken.");
            }
            if (body.Trim() != challenge)
            {
                throw new EmulatorConfigException("The webhook URL failed verification: its GET answered 200 but not with the " +
                    "hub.challenge value as the body.");
            }
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new EmulatorConfigException($"The webhook URL did not answer the verification GET: {error.Message}");
        }
    }

    private async Task DeliverAsync(CancellationToken stopping)
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping))
            {
                var events = new List<WebhookEvent>();
                while (reader.TryRead(out var together))
                {
                    events.AddRange(together);
                }
                var config = _config();
                if (config.WebhookUrl is not { } url)
                {
                    continue; // Turned off since these were queued.
                }
                foreach (var ofObject in events.GroupBy(e => e.Object))
                {
                    foreach (var post in Posts(ofObject.ToList(), config.WebhookReorder == true))
                    {
                        await PostAsync(url, ofObject.Key, post, config, stopping);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: what is still queued is dropped, as an emulator may.
        }
    }

    private IEnumerable<IReadOnlyList<WebhookEvent>> Posts(List<WebhookEvent> events, bool reorder)
    {
        if (!reorder || events.Count < 2)
        {
            return events.Chunk(MaxEntriesPerPost);
        }
        var shuffled = events.ToArray();
        _faults.Shuffle(shuffled);
        if (shuffled.SequenceEqual(events))
        {
            Array.Reverse(shuffled); // Out of order, always.
        }
        return shuffled.Select(e => (IReadOnlyList<WebhookEvent>)[e]);
    }

    private async Task PostAsync(string url, string objectName, IReadOnlyList<WebhookEvent> events, EmulatorRuntimeConfig config,
        CancellationToken stopping)
    {
        var body = WebhookPayload.Build(objectName, events);
        await SendAsync(url, objectName, events.Count, body, config, duplicate: false, stopping);
        if (config.WebhookDuplicateRate > 0 && _faults.NextDouble() < config.WebhookDuplicateRate)
        {
            await SendAsync(url, objectName, events.Count, body, config, duplicate: true, stopping);
        }
    }

    private async Task SendAsync(string url, string objectName, int events, byte[] body, EmulatorRuntimeConfig config, bool duplicate,
        CancellationToken stopping)
    {
        var id = Log.Start(objectName, events, duplicate);
        var maxAttempts = config.WebhookMaxAttempts ?? 1;
        for (var attempt = 1; ; attempt++)
        {
            int? status = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add("X-Hub-Signature-256", WebhookPayload.Signature256(config.AppSecret!, body));
                request.Headers.Add("X-Hub-Signature", WebhookPayload.Signature1(config.AppSecret!, body));
                using var response = await _http.SendAsync(request, stopping);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    Log.Attempted(id, status, "delivered");
                    return;
                }
            }
            catch (Exception) when (!stopping.IsCancellationRequested)
            {
                // Unreachable, too slow or anything else: retried like a non-2xx answer, and the loop lives on.
            }
            if (attempt >= maxAttempts)
            {
                Log.Attempted(id, status, "failed");
                return;
            }
            Log.Attempted(id, status, "pending");
            var wait = Math.Min((config.WebhookRetryDelayMs ?? 0) * Math.Pow(2, attempt - 1), MaxRetryDelay.TotalMilliseconds);
            await Task.Delay(TimeSpan.FromMilliseconds(wait), _time, stopping);
        }
    }

    /// <summary>Stops delivering; what is still queued is dropped. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync();
        _queue.Writer.TryComplete();
        await _loop;
        _http.Dispose();
        _stopping.Dispose();
    }
}
