using Gateway.Inbox;
using MetaGraph;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Inbox;

/// <summary>The in-memory event history (no Redis): ids in order, per Page, and a resumption it cannot make whole is said
/// to be incomplete, whether the events went by number, by age, or came before the history began.</summary>
public sealed class InboxEventHistoryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Events_are_numbered_in_order_and_kept_per_page()
    {
        var history = History(perPage: 10, window: TimeSpan.FromHours(1));
        var first = Record(history, "1");
        var sameMillisecond = Record(history, "2");
        var otherPage = Record(history, "3", page: "200");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        var later = Record(history, "4");

        var since = history.After("100", first);

        Assert.True(first < sameMillisecond && sameMillisecond < otherPage && otherPage < later);
        Assert.Equal(Resumption.Complete, since.Resumption);
        Assert.Equal(["m_2", "m_4"], since.Events.Select(e => e.MessageId));
    }

    [Fact]
    public void A_resumption_from_before_what_is_kept_is_incomplete()
    {
        var history = History(perPage: 2, window: TimeSpan.FromMinutes(1));
        var beforeAnything = InboxEventId.Parse("1-0");
        // Two kept of four: m_1 and m_2 are dropped.
        var ids = Enumerable.Range(1, 4).Select(i => Record(history, i.ToString())).ToList();

        var afterDropped = history.After("100", ids[0]);
        var afterKept = history.After("100", ids[1]);
        var fromBeforeTheHistory = history.After("200", beforeAnything);
        _time.Advance(TimeSpan.FromMinutes(2));
        var afterExpired = history.After("100", ids[3]);
        var latest = Record(history, "5");
        var afterLatest = history.After("100", latest);

        Assert.Equal(Resumption.Expired, afterDropped.Resumption);
        Assert.Equal(Resumption.Complete, afterKept.Resumption);
        Assert.Equal(["m_3", "m_4"], afterKept.Events.Select(e => e.MessageId));
        Assert.Equal(Resumption.Expired, fromBeforeTheHistory.Resumption);
        // Everything aged out, but nothing after the newest event was dropped: complete, and empty.
        Assert.Equal(Resumption.Complete, afterExpired.Resumption);
        Assert.Empty(afterExpired.Events);
        Assert.Equal(Resumption.Complete, afterLatest.Resumption);
    }

    [Fact]
    public void A_resumption_after_an_id_newer_than_any_event_names_no_event()
    {
        var history = History(perPage: 10, window: TimeSpan.FromHours(1));
        var latest = Record(history, "1");

        var fromTheFuture = history.After("100", latest with { Milliseconds = latest.Milliseconds + 60_000 });
        var nextInTheSameMillisecond = history.After("100", latest with { Sequence = latest.Sequence + 1 });

        Assert.Equal(Resumption.NeverIssued, fromTheFuture.Resumption);
        Assert.Equal(Resumption.NeverIssued, nextInTheSameMillisecond.Resumption);
    }

    private InboxEventHistory History(int perPage, TimeSpan window)
        => new(Options.Create(new InboxOptions { EventHistoryPerPage = perPage, EventHistoryWindow = window }), _time);

    private static InboxEventId Record(InboxEventHistory history, string n, string page = "100")
    {
        var inboxEvent = history.Number(new InboxEvent(InboxEventKind.New, page, Platform.Messenger, "5550001", DateTimeOffset.UnixEpoch,
            new WebhookMessage("m_" + n, "5550001", page, "text " + n, [], null)));
        history.Record(inboxEvent);
        return inboxEvent.EventId!.Value;
    }
}
