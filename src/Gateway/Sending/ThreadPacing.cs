using System.Collections.Concurrent;
using Gateway.Api;
using Gateway.Upstream;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.Sending;

/// <summary>
/// Messages to one person go one at a time, in the order they were asked for, and at most
/// <see cref="SendOptions.MessagesPerThreadPerMinute"/> a minute: Meta limits messages to a single thread beside the Page's
/// allowance, and a send past it is refused here, at once and with the time to wait, rather than by Meta. The order is kept
/// per instance; the minute is counted across instances too (the <see cref="ISharedPageWindow"/>, Redis when several run).
/// </summary>
public sealed class ThreadPacing(IOptions<SendOptions> options, TimeProvider time, ISharedPageWindow shared)
{
    private const int SweepAbove = 10_000;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Page, string Person), Thread> _threads = new();

    /// <summary>Waits for the thread's previous message to be answered, then takes a place in its minute, or fails with
    /// <c>META_RATE_LIMITED</c> when the minute is full. Dispose the turn when the message's answer has come.</summary>
    public async Task<IDisposable> TurnAsync(string pageId, string personId, CancellationToken cancellationToken)
    {
        if (_threads.Count > SweepAbove)
        {
            Sweep();
        }
        var thread = _threads.GetOrAdd((pageId, personId), _ => new Thread());
        await thread.Gate.WaitAsync(cancellationToken);
        var now = time.GetUtcNow();
        while (thread.Sent.TryPeek(out var oldest) && now - oldest >= Minute)
        {
            thread.Sent.Dequeue();
        }
        if (thread.Sent.Count >= options.Value.MessagesPerThreadPerMinute)
        {
            thread.Gate.Release();
            throw Full(thread.Sent.Peek() + Minute - now);
        }
        // The thread's minute in the window every instance shares: another instance's sends to this person count too.
        var threadKey = $"{pageId}/{personId}";
        var (member, wait) = await shared.TryAcquireAsync(threadKey, MetaApi.Send, 1, options.Value.MessagesPerThreadPerMinute, Minute);
        if (member is null && wait > TimeSpan.Zero)
        {
            thread.Gate.Release();
            throw Full(wait);
        }
        thread.Sent.Enqueue(now);
        return new Turn(thread.Gate, member is null ? null : () => shared.AnsweredAsync(threadKey, MetaApi.Send, member));
    }

    private GatewayError Full(TimeSpan retryAfter)
        => GatewayError.RateLimited(retryAfter, $"This thread had {options.Value.MessagesPerThreadPerMinute} messages in the last minute " +
            "(Meta limits messages to one thread); nothing was sent.");

    /// <summary>Forgets threads with nothing in their minute and no one sending.</summary>
    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, thread) in _threads)
        {
            if (thread.Gate.Wait(0))
            {
                if (thread.Sent.Count == 0 || now - thread.Sent.Last() >= Minute)
                {
                    _threads.TryRemove(key, out _);
                }
                thread.Gate.Release();
            }
        }
    }

    /// <summary>A thread's sends in the last minute, oldest first; guarded by its gate.</summary>
    private sealed class Thread
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Queue<DateTimeOffset> Sent { get; } = new();
    }

    /// <summary>The thread's turn; when it ends (the message's answer came), the shared window counts the message from then.</summary>
    private sealed class Turn(SemaphoreSlim gate, Func<Task>? answered) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
                _ = answered?.Invoke();
            }
        }
    }
}
