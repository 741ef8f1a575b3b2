using System.Collections.Concurrent;
using Gateway.Upstream;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.Sending;

/// <summary>
/// Sends each message once per idempotency key and Page. Duplicates arriving together on one instance share one send
/// (single-flight); across instances and over time the key's record (<see cref="ISendRecords"/>) decides: the first claims
/// it and sends, the others wait for its outcome and return it. A delivered message is returned to every duplicate; an
/// unknown outcome stays unknown (nothing is sent again) until the message's echo, which carries the key's hash in its
/// metadata, settles it; a refusal (nothing was delivered) frees the key. Each delivery runs in a scope of its own, so it
/// finishes and is recorded even when the caller that started it went away.
/// </summary>
public sealed class MessageSender(
    IServiceScopeFactory scopes, ISendRecords records, IOptions<MetaGraphOptions> meta, IOptions<RateLimitOptions> rateLimits, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private readonly ConcurrentDictionary<(string Page, string KeyHash), Flight> _inFlight = new();

    /// <summary>How long a pending record may be another's send in progress: its longest wait for a turn and its call, with a
    /// margin. Older, its instance is presumed gone, and the outcome is unknown.</summary>
    private TimeSpan PendingAtMost => rateLimits.Value.MaxQueueWait + meta.Value.SendTimeout + TimeSpan.FromSeconds(5);

    public Task<SendOutcome> SendAsync(MessageToSend send, CancellationToken cancellationToken)
    {
        if (send.IdempotencyKey is not { } key)
        {
            return DeliverAsync(send, metadata: null).WaitAsync(cancellationToken);
        }
        var keyHash = SendKeys.Hash(key);
        var flight = _inFlight.GetOrAdd((send.PageId, keyHash), _ => new Flight(send.Fingerprint));
        if (flight.Fingerprint != send.Fingerprint)
        {
            return Task.FromResult(Reused(key));
        }
        return flight.Run(() => OnceAsync(send, keyHash), () => _inFlight.TryRemove(new((send.PageId, keyHash), flight))).WaitAsync(cancellationToken);
    }

    private async Task<SendOutcome> OnceAsync(MessageToSend send, string keyHash)
    {
        var pending = new SendRecord(SendState.Pending, send.Fingerprint, time.GetUtcNow());
        if (await records.ClaimAsync(send.PageId, keyHash, pending) is { } existing)
        {
            return await OutcomeOfAsync(send, keyHash, existing);
        }
        SendOutcome outcome;
        try
        {
            outcome = await DeliverAsync(send, SendKeys.Metadata(keyHash));
        }
        catch
        {
            // Refused before anything could reach Meta (a GraphQL error): nothing was delivered.
            await records.ForgetAsync(send.PageId, keyHash);
            throw;
        }
        switch (outcome)
        {
            case { Delivered: { } echo }:
                // Meta's echo may have come first: then it is what every answer to this key says (Meta's own time).
                var recorded = await records.CompleteAsync(send.PageId, keyHash, pending with { State = SendState.Sent, Sent = echo });
                return SendOutcome.Sent(recorded.Sent ?? echo);
            case { Error: SendOutcomeUnknown }:
                // Its echo may have come first and said it was delivered.
                var kept = await records.CompleteAsync(send.PageId, keyHash, pending with { State = SendState.OutcomeUnknown });
                return kept is { State: SendState.Sent, Sent: { } delivered } ? SendOutcome.Sent(delivered) : outcome;
            default:
                await records.ForgetAsync(send.PageId, keyHash);
                return outcome;
        }
    }

    /// <summary>The outcome of the key's first send: at once when known, else once its sender records it.</summary>
    private async Task<SendOutcome> OutcomeOfAsync(MessageToSend send, string keyHash, SendRecord record)
    {
        while (true)
        {
            if (record.Fingerprint != send.Fingerprint)
            {
                return Reused(send.IdempotencyKey!);
            }
            switch (record.State)
            {
                case SendState.Sent:
                    return SendOutcome.Sent(record.Sent!);
                case SendState.OutcomeUnknown:
                    return Unknown(send.IdempotencyKey!);
                case SendState.Pending when time.GetUtcNow() - record.StartedAt > PendingAtMost:
                    return Unknown(send.IdempotencyKey!);
            }
            await Task.Delay(PollInterval, time);
            if (await records.GetAsync(send.PageId, keyHash) is not { } next)
            {
                // The first send was refused and freed the key: this one is a send of its own.
                return await OnceAsync(send, keyHash);
            }
            record = next;
        }
    }

    private async Task<SendOutcome> DeliverAsync(MessageToSend send, string? metadata)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MessageDelivery>().DeliverAsync(send, metadata);
    }

    private static SendOutcome Unknown(string key) => SendOutcome.Failed(new SendOutcomeUnknown(
        "This idempotencyKey's message may have been delivered, and Meta has not said whether it was: it is not sent again. Its echo from Meta settles it; ask again later with the same key.",
        key));

    private static SendOutcome Reused(string key) => SendOutcome.Failed(new IdempotencyKeyReused(
        "This idempotencyKey was used for a different message of this Page within its lifetime; nothing was sent. Use a new key for a new message.", key));

    /// <summary>The one send of a key on this instance, which its duplicates join while it runs.</summary>
    private sealed class Flight(string fingerprint)
    {
        private readonly Lock _gate = new();
        private Task<SendOutcome>? _running;

        public string Fingerprint { get; } = fingerprint;

        /// <summary>Starts the send the first time, off the caller's thread; later callers get the same task.</summary>
        public Task<SendOutcome> Run(Func<Task<SendOutcome>> start, Action done)
        {
            lock (_gate)
            {
                return _running ??= Task.Run(async () =>
                {
                    try
                    {
                        return await start();
                    }
                    finally
                    {
                        done();
                    }
                });
            }
        }
    }
}
