using System.Text.Json;
using System.Threading.Channels;
using Gateway.Caching;
using Gateway.Meta;
using Gateway.Subscriptions;
using Gateway.Telemetry;
using Microsoft.Extensions.Options;

namespace Gateway.Webhooks;

/// <summary>Signed deliveries accepted by the endpoint and waiting for the processor.</summary>
public sealed class WebhookQueue(IOptions<WebhookOptions> options)
{
    private readonly Channel<WebhookDelivery> _channel = Channel.CreateBounded<WebhookDelivery>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true });

    public bool TryEnqueue(WebhookDelivery delivery) => _channel.Writer.TryWrite(delivery);

    public ChannelReader<WebhookDelivery> Reader => _channel.Reader;
}

/// <summary>How many deliveries may be read at once (<see cref="WebhookOptions.MaxConcurrentDeliveries"/>).</summary>
public sealed class WebhookReadSlots(IOptions<WebhookOptions> options)
{
    private int _free = options.Value.MaxConcurrentDeliveries;

    public bool TryTake()
    {
        if (Interlocked.Decrement(ref _free) >= 0)
        {
            return true;
        }
        Interlocked.Increment(ref _free);
        return false;
    }

    public void Return() => Interlocked.Increment(ref _free);
}

/// <summary>
/// Turns deliveries into published events, off the request path: parse, drop what was already published, hold per
/// conversation to order by timestamp, find each person's conversation (once per person), drop what the cache holds of
/// it, and publish to the subscribers of every instance.
/// One reader, so the deduplicator and the reorder buffer need no locks.
/// </summary>
public sealed class WebhookProcessor(
    WebhookQueue queue, InboxEventFanOut fanOut, PersonConversations conversations, GraphResultCache cache, IOptions<WebhookOptions> options,
    IOptions<ManagedPagesOptions> pages, TimeProvider time, ILogger<WebhookProcessor> logger) : BackgroundService
{
    private readonly EventDeduplicator _deduplicator = new(options.Value.DedupeHorizon, options.Value.DedupeCapacity);
    private readonly ReorderBuffer _held = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pageOfInstagramAccount = InstagramAccounts();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (queue.Reader.TryRead(out var delivery))
                {
                    using (delivery)
                    {
                        Accept(delivery.Body, pageOfInstagramAccount);
                    }
                }
                foreach (var inboxEvent in _held.TakeDue(time.GetUtcNow()))
                {
                    await PublishAsync(inboxEvent, stoppingToken);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // One bad delivery or event must not stop the processor (a stopped BackgroundService stops the host).
                logger.LogError(error, "A webhook delivery could not be processed.");
            }
            if (!await WaitForWorkAsync(stoppingToken))
            {
                return;
            }
        }
    }

    /// <summary>Waits for a delivery or for the next held event's due time; false once the queue is closed.</summary>
    private async Task<bool> WaitForWorkAsync(CancellationToken stoppingToken)
    {
        if (_held.NextDue is not { } due)
        {
            return await queue.Reader.WaitToReadAsync(stoppingToken);
        }
        var delay = due - time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(delay);
        try
        {
            return await queue.Reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return true;
        }
    }

    private void Accept(ReadOnlyMemory<byte> body, Func<string, string> pageOfInstagramAccount)
    {
        List<InboxEvent> events;
        try
        {
            events = WebhookPayload.Parse(body, pageOfInstagramAccount, kind => Count(kind, "ignored"));
        }
        catch (JsonException)
        {
            // Signed by Meta yet not JSON: nothing to publish, and nothing a retry would fix.
            logger.LogWarning("A signed webhook delivery was not valid JSON.");
            Count("malformed", "ignored");
            return;
        }
        var now = time.GetUtcNow();
        foreach (var inboxEvent in events)
        {
            if (!_deduplicator.IsFirst(inboxEvent.DedupeKey, now))
            {
                Count(inboxEvent.Kind.ToString(), "duplicate");
                continue;
            }
            _held.Add(inboxEvent with { ReceivedAt = now }, now + options.Value.ReorderWindow);
        }
    }

    private async Task PublishAsync(InboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        // Meta may redeliver to another instance: this instance's deduplicator cannot know, the shared key can.
        if (!await fanOut.IsFirstAsync(inboxEvent, options.Value.DedupeHorizon))
        {
            Count(inboxEvent.Kind.ToString(), "duplicate");
            return;
        }
        var conversation = await conversations.FindAsync(inboxEvent.PageId, inboxEvent.Platform, inboxEvent.PersonId, accessToken: null, cancellationToken);
        await InvalidateAsync(inboxEvent, conversation, cancellationToken);
        await fanOut.PublishAsync(inboxEvent with { Conversation = conversation });
        Count(inboxEvent.Kind.ToString(), "published");
    }

    /// <summary>Drops the cached answers the event makes wrong, before subscribers hear of it (a reader they prompt sees the
    /// change): any event changes its conversation and the Page's listings (order, snippet, counts, a message's
    /// reactions); a reaction or an unsend also changes that message's details.</summary>
    private async Task InvalidateAsync(InboxEvent inboxEvent, PersonConversation? conversation, CancellationToken cancellationToken)
    {
        if (conversation is not null)
        {
            await cache.ConversationChangedAsync(inboxEvent.PageId, conversation.Id, cancellationToken);
        }
        else
        {
            await cache.ListingsChangedAsync(inboxEvent.PageId, cancellationToken);
        }
        if (inboxEvent.Kind is InboxEventKind.Reaction or InboxEventKind.Deleted && inboxEvent.MessageId is { } messageId)
        {
            await cache.MessageChangedAsync(messageId, cancellationToken);
        }
    }

    /// <summary>Instagram webhooks name the Instagram account; subscribers name its Page when one is configured.</summary>
    private Func<string, string> InstagramAccounts()
    {
        var pageByAccount = pages.Value.Pages
            .Where(page => !string.IsNullOrEmpty(page.Value.InstagramAccountId))
            .ToDictionary(page => page.Value.InstagramAccountId!, page => page.Key, StringComparer.Ordinal);
        return account => pageByAccount.GetValueOrDefault(account, account);
    }

    private static void Count(string kind, string outcome)
        => GatewayTelemetry.WebhookEvents.Add(1, new("kind", kind), new("outcome", outcome));
}
