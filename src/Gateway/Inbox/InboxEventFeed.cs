using MetaGraph;

namespace Gateway.Inbox;

/// <summary>What a subscriber follows: a Page's live events, and first, when it resumes after an event id, what the Page's
/// history holds since then (each once, in order).</summary>
public sealed class InboxEventFeed(InboxEventHub hub, IInboxEventBus bus)
{
    /// <summary>The live events of a Page (and platform) that <paramref name="filter"/> accepts, after <paramref name="after"/>
    /// when the subscriber resumes: null when the history no longer reaches back that far; <c>INVALID_EVENT_ID</c> when
    /// <paramref name="after"/> is newer than any event.</summary>
    public async Task<IObservable<InboxEvent>?> EventsAsync(
        string pageId, Platform? platform, Func<InboxEvent, bool> filter, InboxEventId? after, CancellationToken cancellationToken)
    {
        // A gap in the history reaches every subscriber of the Page, whatever it filters.
        var live = hub.Events(pageId, platform, inboxEvent => inboxEvent.IsHistoryGap || filter(inboxEvent));
        if (after is not { } resumeAfter)
        {
            return live;
        }
        return await ResumedStream.StartAsync(live, resumeAfter, async () =>
        {
            var since = await bus.AfterAsync(pageId, resumeAfter);
            return since.Resumption switch
            {
                Resumption.Complete => [.. since.Events.Where(e => (platform is null || e.Platform == platform) && filter(e))],
                Resumption.NeverIssued => throw InvalidEventId(),
                _ => null,
            };
        }, cancellationToken);
    }

    /// <summary>An <c>after</c> that is no event id this gateway gave out: malformed, or newer than any event.</summary>
    public static Api.GatewayError InvalidEventId()
        => new("INVALID_EVENT_ID", "`after` must be the `extensions.eventId` of a delivered event, such as `1733140800000-0`.");
}
