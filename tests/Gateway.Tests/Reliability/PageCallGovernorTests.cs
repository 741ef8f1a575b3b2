using System.Diagnostics.Metrics;
using Gateway.Api;
using Gateway.Telemetry;
using Gateway.Upstream;
using MetaGraph;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Reliability;

/// <summary>The governor's schedule on a fake clock: what it lets through, when, and what it refuses with which
/// <c>retryAfter</c>. The HTTP behaviour against the emulator's own accounting is in <see cref="RateLimitTests"/>.</summary>
public sealed class PageCallGovernorTests
{
    private const string PageA = "104000000000001";
    private const string PageB = "104000000000002";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));

    private PageCallGovernor Governor(int callsPerSecond = 2, double maxWaitSeconds = 2) => new(Options.Create(new RateLimitOptions
    {
        CallsPerSecond = callsPerSecond,
        MaxQueueWait = TimeSpan.FromSeconds(maxWaitSeconds),
        WindowMargin = TimeSpan.FromMilliseconds(50),
    }), _time, new LocalPageWindow(), new GatewayMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()));

    [Fact]
    public async Task Calls_within_the_window_go_at_once_and_the_next_waits_exactly_until_the_oldest_leaves_it()
    {
        var governor = Governor();
        (await governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default)).Dispose();
        (await governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default)).Dispose();

        var third = governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(1049));
        Assert.False(third.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        (await third).Dispose();
    }

    [Fact]
    public async Task An_ids_read_is_priced_per_id_so_a_three_call_read_never_fits_a_two_call_window()
    {
        var governor = Governor();
        Assert.Equal(2, governor.MaxCallsPerRequest(MetaApi.Conversations));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => governor.AcquireAsync(PageA, MetaApi.Conversations, 3, CallPriority.Foreground, default).AsTask());

        (await governor.AcquireAsync(PageA, MetaApi.Conversations, 2, CallPriority.Foreground, default)).Dispose();
        var next = governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(1050));
        (await next).Dispose();
    }

    [Fact]
    public async Task What_cannot_go_within_the_wait_fails_at_once_with_the_true_retry_after()
    {
        var governor = Governor(callsPerSecond: 1, maxWaitSeconds: 2.5);
        (await governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default)).Dispose();
        var second = governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default).AsTask();
        var third = governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default).AsTask();

        // The fourth call's turn would be 3.15 s away: refused now, told to come back in 4 s.
        var refused = await Assert.ThrowsAsync<GatewayError>(() => governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default).AsTask());
        Assert.Equal("META_RATE_LIMITED", refused.Code);
        Assert.Equal(4, refused.Extensions!["retryAfter"]);

        _time.Advance(TimeSpan.FromMilliseconds(1050));
        (await second).Dispose();
        _time.Advance(TimeSpan.FromMilliseconds(1050));
        (await third).Dispose();
    }

    [Fact]
    public async Task A_call_whose_turn_passed_before_its_thread_could_sleep_goes_instead_of_failing()
    {
        var governor = Governor();
        (await governor.AcquireAsync(PageA, MetaApi.Conversations, 2, CallPriority.Foreground, default)).Dispose();

        // Every reading of the clock finds it 700 ms later, as on a machine too busy to run the thread on time: the turn
        // the third call is given (1.05 s) has passed by the time it would sleep.
        _time.AutoAdvanceAmount = TimeSpan.FromMilliseconds(700);
        var third = await governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default);

        third.Dispose();
    }

    /// <summary>Meta counts a call when it arrives, which may be any time before its answer: the window runs from the
    /// answer, so a slow call keeps its place longer.</summary>
    [Fact]
    public async Task A_call_holds_its_place_in_the_window_until_a_second_after_its_answer()
    {
        var governor = Governor(callsPerSecond: 1, maxWaitSeconds: 5);
        var slow = await governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default);
        _time.Advance(TimeSpan.FromMilliseconds(800));
        slow.Dispose();

        var next = governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(1049));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        (await next).Dispose();
    }

    /// <summary>Far from the limit, calls the window dropped are forgotten only now and then; near it, they must never count.</summary>
    [Fact]
    public async Task Calls_the_window_no_longer_counts_never_hold_back_a_new_one()
    {
        var governor = Governor(callsPerSecond: 4, maxWaitSeconds: 0);
        (await governor.AcquireAsync(PageA, MetaApi.Conversations, 2, CallPriority.Foreground, default)).Dispose();
        _time.Advance(TimeSpan.FromMilliseconds(1050));

        for (var call = 0; call < 4; call++)
        {
            (await governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default)).Dispose();
        }
        await Assert.ThrowsAsync<GatewayError>(() => governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default).AsTask());
    }

    [Fact]
    public async Task Pages_have_their_own_allowance()
    {
        var governor = Governor(callsPerSecond: 1, maxWaitSeconds: 0);
        (await governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default)).Dispose();
        (await governor.AcquireAsync(PageB, MetaApi.Conversations, 1, CallPriority.Foreground, default)).Dispose();
        await Assert.ThrowsAsync<GatewayError>(() => governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default).AsTask());
    }

    /// <summary>Meta reports 100% when this gateway itself filled the window; that is the allowance used as planned, not
    /// a reason to pause (a pause left a third of the allowance unused).</summary>
    [Fact]
    public async Task Usage_that_the_gateways_own_calls_explain_does_not_slow_the_page_down()
    {
        var governor = Governor(maxWaitSeconds: 0);
        (await governor.AcquireAsync(PageA, MetaApi.Conversations, 2, CallPriority.Foreground, default)).Dispose();
        governor.Observe(PageA, MetaApi.Conversations, Usage(PageA, 100), wasRateLimited: false);

        _time.Advance(TimeSpan.FromMilliseconds(1050));
        (await governor.AcquireAsync(PageA, MetaApi.Conversations, 2, CallPriority.Foreground, default)).Dispose();
    }

    /// <summary>Usage above what this gateway sent means someone else spends the Page's allowance: slow down.</summary>
    [Fact]
    public async Task Usage_beyond_the_gateways_own_calls_slows_the_page_down()
    {
        var governor = Governor(maxWaitSeconds: 0);
        (await governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default)).Dispose();
        governor.Observe(PageA, MetaApi.Conversations, Usage(PageA, 95), wasRateLimited: false);

        await Assert.ThrowsAsync<GatewayError>(() => governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default).AsTask());
    }

    /// <summary>A slow-down is a pause, not a reader waiting: once it has passed, background work goes, though no reader
    /// called since to clear it.</summary>
    [Fact]
    public async Task Background_work_goes_once_a_slow_down_has_passed_though_no_reader_called_since()
    {
        var governor = Governor();
        (await governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default)).Dispose();
        governor.Observe(PageA, MetaApi.Conversations, Usage(PageA, 95), wasRateLimited: false);
        _time.Advance(TimeSpan.FromSeconds(3));

        var background = governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Background, default).AsTask();

        Assert.True(background.IsCompletedSuccessfully);
        (await background).Dispose();
    }

    [Fact]
    public async Task Background_work_waits_out_metas_estimated_time_to_regain_access_before_it_calls()
    {
        var governor = Governor();
        governor.Observe(PageA, MetaApi.Conversations, new GraphUsage(null, new Dictionary<string, IReadOnlyList<BusinessUseCaseUsage>>
        {
            [PageA] = [new BusinessUseCaseUsage("messenger", 100, 100, 100, TimeSpan.FromMinutes(1))],
        }), wasRateLimited: true);

        var turn = governor.WaitForBackgroundTurnAsync(PageA, MetaApi.Conversations, 1, default);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(turn.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await turn;
    }

    [Fact]
    public async Task A_call_that_is_cancelled_while_waiting_gives_its_turn_back()
    {
        var governor = Governor(callsPerSecond: 1);
        (await governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default)).Dispose();
        using var cancel = new CancellationTokenSource();
        var cancelled = governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        var next = governor.AcquireAsync(PageA, MetaApi.Conversations, 1, CallPriority.Foreground, default).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(1050));
        (await next).Dispose();
    }

    private static GraphUsage Usage(string pageId, int percent) => new(null, new Dictionary<string, IReadOnlyList<BusinessUseCaseUsage>>
    {
        [pageId] = [new BusinessUseCaseUsage("messenger", percent, percent, percent, TimeSpan.Zero)],
    });
}
