using MetaGraph.Emulator.Data;

namespace MetaGraph.Emulator;

/// <summary>The emulator's "now": the time of new messages and webhook events, of the messaging window and of the rate-limit
/// windows. It follows the wall clock by default; a test moves it (<see cref="Set"/>, <see cref="Advance"/>) or stops it
/// (<see cref="Freeze"/>) to put a person's last message days in the past or to cross a boundary to the millisecond.
/// Token proofs (<c>appsecret_time</c>) and webhook retries keep the wall clock: they concern the machine, not the inbox.
/// Thread-safe.</summary>
public sealed class EmulatorClock
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _wallClock;
    private TimeSpan _offset;
    private DateTimeOffset? _frozenAt;

    internal EmulatorClock(TimeProvider wallClock) => _wallClock = wallClock;

    /// <summary>The moment the seeded data was written, 2026-10-01T00:00:00Z: every seeded message is before it, the newest
    /// a few hours before. On the wall clock the seeded people wrote long ago, so their messaging windows are closed until
    /// they write again or the clock is set back near this moment.</summary>
    public static DateTimeOffset SeedNow => InboxGenerator.SeedTime;

    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return _frozenAt ?? _wallClock.GetUtcNow() + _offset;
            }
        }
    }

    /// <summary>Whether the clock stands still until it is moved or <see cref="Resume"/>d.</summary>
    public bool Frozen
    {
        get
        {
            lock (_gate)
            {
                return _frozenAt is not null;
            }
        }
    }

    /// <summary>Makes <see cref="Now"/> this moment; a running clock runs on from it.</summary>
    public void Set(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_frozenAt is null)
            {
                _offset = now - _wallClock.GetUtcNow();
            }
            else
            {
                _frozenAt = now;
            }
        }
    }

    /// <summary>Moves the clock by this much (back, when negative).</summary>
    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            if (_frozenAt is { } frozen)
            {
                _frozenAt = frozen + by;
            }
            else
            {
                _offset += by;
            }
        }
    }

    /// <summary>Stops the clock where it is now.</summary>
    public void Freeze()
    {
        lock (_gate)
        {
            _frozenAt ??= _wallClock.GetUtcNow() + _offset;
        }
    }

    /// <summary>Lets a frozen clock run on from where it stands.</summary>
    public void Resume()
    {
        lock (_gate)
        {
            if (_frozenAt is { } frozen)
            {
                _offset = frozen - _wallClock.GetUtcNow();
                _frozenAt = null;
            }
        }
    }
}
