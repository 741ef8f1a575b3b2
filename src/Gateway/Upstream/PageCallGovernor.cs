using System.Collections.Concurrent;
using Gateway.Api;
using Gateway.Telemetry;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.Upstream;

/// <summary>
/// Keeps every Page under Meta's allowances before Meta enforces them, keyed by the Page and the API (never by token: all
/// tokens of a Page share its allowances; each API has its own, see <see cref="MetaApi"/>). Each call is priced before it is
/// sent, as Meta prices it (one per plain call, per id of an <c>ids=</c> read, per batch item, per retry), and is given the
/// earliest moment at which it and the calls Meta may still count in its window fit the allowance. Meta counts a call when it arrives, which is some time after it left and
/// before its answer came back, so a call holds its place in the window from when it leaves until a second after its
/// answer. A call whose moment lies beyond <see cref="RateLimitOptions.MaxQueueWait"/> fails at once with the true
/// <c>retryAfter</c>; one that waited checks again before it goes. Meta's <c>estimated_time_to_regain_access</c> refuses
/// the Page's calls of that API fast until it passes.
/// </summary>
/// <remarks>A call this instance lets through also takes its place in the Page's window shared by all instances
/// (<see cref="ISharedPageWindow"/>: Redis when several run), and waits there as it would here.</remarks>
public sealed class PageCallGovernor(IOptions<RateLimitOptions> options, TimeProvider time, ISharedPageWindow shared, GatewayMetrics metrics)
{
    private readonly RateLimitOptions _options = options.Value;
    private readonly ConcurrentDictionary<(string Page, MetaApi Api), PageSchedule> _pages = new();

    /// <summary>The most calls of <paramref name="api"/> one HTTP request may cost: more than the window holds could never
    /// be sent, and Graph takes at most 50 ids or batch items.</summary>
    public int MaxCallsPerRequest(MetaApi api) => Math.Clamp(_options.AllowanceOf(api).Calls, 1, MetaGraphClient.MaxIdsPerCall);

    private TimeSpan WindowOf(MetaApi api) => _options.AllowanceOf(api).Window + _options.WindowMargin;

    /// <summary>Waits until <paramref name="calls"/> calls of <paramref name="api"/> for <paramref name="pageId"/> may be
    /// sent, or fails with <c>META_RATE_LIMITED</c> when that moment is further away than the wait allowed. Dispose the
    /// returned call when its answer has arrived.</summary>
    public async ValueTask<IDisposable> AcquireAsync(string pageId, MetaApi api, int calls, CallPriority priority, CancellationToken cancellationToken)
    {
        if (calls > MaxCallsPerRequest(api))
        {
            throw new ArgumentOutOfRangeException(nameof(calls), calls, $"A request may cost at most {MaxCallsPerRequest(api)} calls of the {api} API.");
        }
        var allowance = _options.AllowanceOf(api);
        var limit = LimitOf(allowance, priority);
        var schedule = _pages.GetOrAdd((pageId, api), _ => new PageSchedule());
        var started = time.GetUtcNow();
        var deadline = priority == CallPriority.Background ? DateTimeOffset.MaxValue : started + _options.MaxQueueWait;
        var sent = priority == CallPriority.Background
            ? await AcquireInBackgroundAsync(schedule, api, calls, limit, cancellationToken)
            : await AcquireHereAsync(schedule, api, calls, started, deadline, cancellationToken);
        var answered = new Answered(sent, time, pageId, api, shared);
        try
        {
            while (true)
            {
                var (member, wait) = await shared.TryAcquireAsync(pageId, api, calls, limit, WindowOf(api));
                if (member is not null || wait == TimeSpan.Zero)
                {
                    answered.SharedMember = member;
                    return answered;
                }
                if (time.GetUtcNow() + wait > deadline)
                {
                    throw GatewayError.RateLimited(wait, "This Page's Graph API allowance is in use by all instances; the call would wait longer than allowed.");
                }
                await Task.Delay(wait, time, cancellationToken);
            }
        }
        catch
        {
            answered.Withdraw();
            throw;
        }
    }

    /// <summary>Background work's share of the allowance: at least one call, so it always progresses.</summary>
    private int LimitOf(MetaAllowance allowance, CallPriority priority)
        => priority == CallPriority.Background ? Math.Max(1, (int)(allowance.Calls * _options.BackgroundShare)) : allowance.Calls;

    /// <summary>Waits, holding no place, until a background call of <paramref name="api"/> for <paramref name="pageId"/>
    /// could go: Meta's <c>estimated_time_to_regain_access</c> has passed, no reader waits, and the window has room under the
    /// background share. Background work calls this before its HTTP call, so that a long wait (minutes, when Meta asked the
    /// Page to wait) is not spent inside the resilience pipeline, whose attempt timeout would take it for an outage; the
    /// call then takes its turn as usual.</summary>
    public async Task WaitForBackgroundTurnAsync(string pageId, MetaApi api, int calls, CancellationToken cancellationToken)
    {
        var schedule = _pages.GetOrAdd((pageId, api), _ => new PageSchedule());
        await BackgroundTurnAsync(schedule, api, calls, LimitOf(_options.AllowanceOf(api), CallPriority.Background), take: false, cancellationToken);
    }

    /// <summary>Goes when no reader waits for the Page and the window holds room under the background share; otherwise
    /// looks again a little later, holding no place in line.</summary>
    private async ValueTask<Reservation> AcquireInBackgroundAsync(PageSchedule schedule, MetaApi api, int calls, int limit, CancellationToken cancellationToken)
        => (await BackgroundTurnAsync(schedule, api, calls, limit, take: true, cancellationToken))!;

    /// <returns>The call's place when <paramref name="take"/>, else null once it could go.</returns>
    private async ValueTask<Reservation?> BackgroundTurnAsync(PageSchedule schedule, MetaApi api, int calls, int limit, bool take, CancellationToken cancellationToken)
    {
        var window = WindowOf(api);
        while (true)
        {
            TimeSpan wait;
            lock (schedule)
            {
                var now = time.GetUtcNow();
                var at = schedule.BlockedUntil > now ? schedule.BlockedUntil
                    : schedule.HasWaiting(now, window) ? now + window / 2
                    : schedule.EarliestFor(calls, now, window, limit, behindWaiting: true);
                if (at <= now)
                {
                    if (!take)
                    {
                        return null;
                    }
                    var sent = new Reservation(schedule, now, calls) { InFlight = true };
                    schedule.Add(sent);
                    return sent;
                }
                wait = at - now;
            }
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private async ValueTask<Reservation> AcquireHereAsync(
        PageSchedule schedule, MetaApi api, int calls, DateTimeOffset started, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var window = WindowOf(api);
        var limit = _options.AllowanceOf(api).Calls;
        var waited = false;
        while (true)
        {
            Reservation reservation;
            lock (schedule)
            {
                var now = time.GetUtcNow();
                if (schedule.BlockedUntil > now)
                {
                    throw GatewayError.RateLimited(schedule.BlockedUntil - now, "Meta asked this Page to wait before calling again.");
                }
                var at = schedule.EarliestFor(calls, now, window, limit, behindWaiting: !waited);
                if (at <= now)
                {
                    var sent = new Reservation(schedule, now, calls) { InFlight = true };
                    schedule.Add(sent);
                    metrics.RateLimitWait.Record((now - started).TotalMilliseconds);
                    return sent;
                }
                if (at > deadline)
                {
                    throw GatewayError.RateLimited(at - now, "This Page's Graph API allowance is in use; the call would wait longer than allowed.");
                }
                reservation = new Reservation(schedule, at, calls);
                schedule.Add(reservation);
            }
            try
            {
                // A busy machine may resume this thread after the turn it waits for: then it goes without sleeping.
                var wait = reservation.At - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken);
                }
                waited = true;
            }
            finally
            {
                lock (schedule)
                {
                    schedule.Remove(reservation);
                }
            }
        }
    }

    /// <summary>Reads Meta's usage after every call of the Page to <paramref name="api"/>, successful or not.</summary>
    public void Observe(string pageId, MetaApi api, GraphUsage usage, bool wasRateLimited)
    {
        var schedule = _pages.GetOrAdd((pageId, api), _ => new PageSchedule());
        var allowance = _options.AllowanceOf(api);
        var window = WindowOf(api);
        var now = time.GetUtcNow();
        var regainIn = usage.BusinessUseCase.Values.SelectMany(entries => entries)
            .Select(entry => entry.EstimatedTimeToRegainAccess).DefaultIfEmpty(TimeSpan.Zero).Max();
        lock (schedule)
        {
            if (regainIn > TimeSpan.Zero || wasRateLimited)
            {
                var until = now + (regainIn > TimeSpan.Zero ? regainIn : _options.CoolDownAfterRateLimit);
                schedule.BlockedUntil = schedule.BlockedUntil > until ? schedule.BlockedUntil : until;
                return;
            }
            var reported = usage.BusinessUseCase.Values.SelectMany(entries => entries)
                .Select(entry => Math.Max(entry.CallCount, Math.Max(entry.TotalTime, entry.TotalCpuTime)))
                .Append(usage.App is { } app ? Math.Max(app.CallCount, Math.Max(app.TotalTime, app.TotalCpuTime)) : 0)
                .Max();
            if (reported < _options.SlowDownAtPercent)
            {
                return;
            }
            // What this gateway sent in the window already explains up to this much of Meta's figure.
            var own = 100 * schedule.SentWithin(now, window) / Math.Max(1, allowance.Calls);
            if (reported > own)
            {
                // Space calls out more the closer usage gets to 100%: a pause holds the whole window for a while.
                var pause = allowance.Window * (Math.Min(100, reported - _options.SlowDownAtPercent + 1) / (100.0 - _options.SlowDownAtPercent + 1));
                schedule.Add(new Reservation(schedule, now + pause - window, allowance.Calls));
            }
        }
    }

    /// <summary>Calls of a Page: waiting ones at the moment they were given, sent ones at the moment their answer came
    /// (while in flight, at every moment until then).</summary>
    private sealed class Reservation(PageSchedule schedule, DateTimeOffset at, int calls)
    {
        public PageSchedule Schedule { get; } = schedule;
        public DateTimeOffset At { get; set; } = at;
        public int Calls { get; } = calls;
        public bool InFlight { get; set; }
        public bool Sent => InFlight || Answered;
        public bool Answered { get; set; }

        /// <summary>When Meta may have counted the call, as late as it can be known now.</summary>
        public DateTimeOffset CountedAt(DateTimeOffset now) => InFlight ? now : At;
    }

    private sealed class Answered(Reservation call, TimeProvider time, string pageId, MetaApi api, ISharedPageWindow shared) : IDisposable
    {
        public string? SharedMember { get; set; }

        public void Dispose()
        {
            lock (call.Schedule)
            {
                call.At = time.GetUtcNow();
                call.InFlight = false;
                call.Answered = true;
            }
            if (SharedMember is { } member)
            {
                // Off the request's path: a slow Redis must not hold the answer back.
                _ = shared.AnsweredAsync(pageId, api, member);
            }
        }

        /// <summary>The call never went out: its place is given back.</summary>
        public void Withdraw()
        {
            lock (call.Schedule)
            {
                call.Schedule.Remove(call);
            }
        }
    }

    /// <summary>One Page's calls. Guarded by locking the instance.</summary>
    private sealed class PageSchedule
    {
        private readonly List<Reservation> _reservations = [];

        /// <summary>All calls held, wherever they stand in the window: when even these fit, the window does. It may
        /// still count calls the window has dropped (see <see cref="ForgetExpiredNowAndThen"/>), which only errs towards
        /// looking closer.</summary>
        private int _held;

        private DateTimeOffset _nextSweep;

        public DateTimeOffset BlockedUntil { get; set; }

        /// <summary>The earliest moment, not before <paramref name="now"/> (nor, for a newcomer, before anyone already
        /// waiting: first come, first served), at which the calls in the window before it leave room for
        /// <paramref name="calls"/> more.</summary>
        public DateTimeOffset EarliestFor(int calls, DateTimeOffset now, TimeSpan window, int limit, bool behindWaiting)
        {
            if (_held + calls <= limit)
            {
                // Far from the limit (a generous allowance, or a quiet Page): no one waits, and nothing to place.
                ForgetExpiredNowAndThen(now, window);
                return now;
            }
            RemoveExpired(now, window);
            if (_held + calls <= limit)
            {
                return now;
            }
            var at = behindWaiting ? _reservations.Where(r => !r.Sent).Select(r => r.At).Append(now).Max() : now;
            while (true)
            {
                var inWindow = _reservations.Where(r => r.CountedAt(now) > at - window && r.CountedAt(now) <= at)
                    .OrderBy(r => r.CountedAt(now)).ToList();
                var used = inWindow.Sum(r => r.Calls);
                if (used + calls <= limit)
                {
                    return at;
                }
                // Move past the oldest calls until enough of the window is free.
                var free = used + calls - limit;
                foreach (var reservation in inWindow)
                {
                    free -= reservation.Calls;
                    if (free <= 0)
                    {
                        at = reservation.CountedAt(now) + window;
                        break;
                    }
                }
            }
        }

        /// <summary>Whether a call is waiting for its turn. Expired places go first: the pause a usage report placed
        /// (<see cref="Observe"/>) is never sent, and would otherwise read as a waiting reader forever.</summary>
        public bool HasWaiting(DateTimeOffset now, TimeSpan window)
        {
            RemoveExpired(now, window);
            return _reservations.Any(r => !r.Sent);
        }

        /// <summary>Forgets the calls Meta no longer counts in the window ending <paramref name="now"/>.</summary>
        private void RemoveExpired(DateTimeOffset now, TimeSpan window)
        {
            _reservations.RemoveAll(r =>
            {
                var expired = r.CountedAt(now) <= now - window;
                _held -= expired ? r.Calls : 0;
                return expired;
            });
            _nextSweep = now + window / 8;
        }

        /// <summary>A generous allowance holds thousands of calls in its window: scanning them all for every call would make
        /// each call cost as much as the window holds. Far from the limit, expired calls are forgotten an eighth of a window
        /// at a time instead, so the schedule holds at most the window's calls and an eighth more.</summary>
        private void ForgetExpiredNowAndThen(DateTimeOffset now, TimeSpan window)
        {
            if (now >= _nextSweep)
            {
                RemoveExpired(now, window);
            }
        }

        public int SentWithin(DateTimeOffset now, TimeSpan window)
            => _reservations.Where(r => r.Sent && r.CountedAt(now) > now - window).Sum(r => r.Calls);

        public void Add(Reservation reservation)
        {
            _reservations.Add(reservation);
            _held += reservation.Calls;
        }

        public void Remove(Reservation reservation)
        {
            if (_reservations.Remove(reservation))
            {
                _held -= reservation.Calls;
            }
        }
    }
}
