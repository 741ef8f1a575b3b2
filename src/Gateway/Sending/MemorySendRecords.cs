using Gateway.Inbox;
using Microsoft.Extensions.Options;

namespace Gateway.Sending;

/// <summary>Idempotency records of one instance (no Redis), each for <see cref="SendOptions.IdempotencyKeyLifetime"/>; at
/// <see cref="Capacity"/> the expired go, then the oldest.</summary>
public sealed class MemorySendRecords(IOptions<SendOptions> options, TimeProvider time) : ISendRecords
{
    private const int Capacity = 100_000;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Page, string Key), (SendRecord Record, DateTimeOffset Expires)> _records = [];

    public Task<SendRecord?> ClaimAsync(string pageId, string keyHash, SendRecord pending)
    {
        lock (_gate)
        {
            if (Find(pageId, keyHash) is { } existing)
            {
                return Task.FromResult<SendRecord?>(existing);
            }
            MakeRoom();
            _records[(pageId, keyHash)] = (pending, time.GetUtcNow() + options.Value.IdempotencyKeyLifetime);
            return Task.FromResult<SendRecord?>(null);
        }
    }

    public Task<SendRecord?> GetAsync(string pageId, string keyHash)
    {
        lock (_gate)
        {
            return Task.FromResult(Find(pageId, keyHash));
        }
    }

    public Task<SendRecord> CompleteAsync(string pageId, string keyHash, SendRecord outcome)
    {
        lock (_gate)
        {
            if (Find(pageId, keyHash) is { State: not SendState.Pending } known)
            {
                return Task.FromResult(known);
            }
            Replace(pageId, keyHash, outcome);
            return Task.FromResult(outcome);
        }
    }

    public Task ResolveAsync(string pageId, string keyHash, InboxEvent echo)
    {
        lock (_gate)
        {
            if (Find(pageId, keyHash) is { State: not SendState.Sent } open)
            {
                Replace(pageId, keyHash, open with { State = SendState.Sent, Sent = echo });
            }
        }
        return Task.CompletedTask;
    }

    public Task ForgetAsync(string pageId, string keyHash)
    {
        lock (_gate)
        {
            if (Find(pageId, keyHash) is { State: SendState.Pending })
            {
                _records.Remove((pageId, keyHash));
            }
        }
        return Task.CompletedTask;
    }

    private SendRecord? Find(string pageId, string keyHash)
        => _records.TryGetValue((pageId, keyHash), out var entry) && entry.Expires > time.GetUtcNow() ? entry.Record : null;

    /// <summary>Keeps the record's expiry: a key lives its lifetime from its first use.</summary>
    private void Replace(string pageId, string keyHash, SendRecord record)
        => _records[(pageId, keyHash)] = (record, _records.TryGetValue((pageId, keyHash), out var entry)
            ? entry.Expires
            : time.GetUtcNow() + options.Value.IdempotencyKeyLifetime);

    private void MakeRoom()
    {
        if (_records.Count < Capacity)
        {
            return;
        }
        var now = time.GetUtcNow();
        foreach (var key in _records.Where(entry => entry.Value.Expires <= now).Select(entry => entry.Key).ToList())
        {
            _records.Remove(key);
        }
        // Still full: the oldest tenth goes at once, so that the sort is paid once per tenth of sends, not on each (under the lock).
        foreach (var key in _records.OrderBy(entry => entry.Value.Expires).Take(Math.Max(_records.Count - Capacity + 1, Capacity / 10)).Select(entry => entry.Key).ToList())
        {
            _records.Remove(key);
        }
    }
}
