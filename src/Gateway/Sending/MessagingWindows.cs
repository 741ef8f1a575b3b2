using System.Collections.Concurrent;
using Gateway.Inbox;
using Gateway.Upstream;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.Sending;

/// <summary>Meta's messaging window after a person's last message (<see cref="LastInbound"/>): the Page may message them for
/// 24 hours, a human agent (tag <c>HUMAN_AGENT</c>) for 7 days. Its end belongs to it: 24 hours exactly is inside.</summary>
public readonly record struct MessagingWindow(DateTimeOffset LastInbound)
{
    public static readonly TimeSpan Standard = TimeSpan.FromHours(24);
    public static readonly TimeSpan HumanAgent = TimeSpan.FromDays(7);

    public DateTimeOffset ClosesAt(TimeSpan length) => LastInbound + length;

    public bool IsOpen(DateTimeOffset now, TimeSpan length) => now - LastInbound <= length;
}

/// <summary>
/// When each person last wrote to a Page, so a send outside Meta's window is refused before Meta is called and
/// <c>canReplyUntil</c> costs no call: learnt from the spine's new messages (every instance sees every event) and from the
/// reads of a thread a send or <c>canReplyUntil</c> makes (<see cref="ThreadRead"/>: participants and the 20 newest
/// messages' senders and times, at Graph's second precision). Knowledge only moves forward: a Page's own message never
/// reopens a window. People whose 7 days are over are forgotten first when <see cref="Capacity"/> is reached.
/// </summary>
public sealed class MessagingWindows(PersonConversations people, IOptions<ManagedPagesOptions> pages, TimeProvider time) : IInboxEventConsumer
{
    private const int Capacity = 100_000;

    /// <summary>A thread as a window is read from it: one Conversations API call, by id or in a Page's listing.</summary>
    public static readonly FieldList ThreadRead = FieldList.Of("id", "participants")
        .AddEdge("messages", FieldList.Of("id", "created_time", "from"), MetaGraphClient.MessagesWithDetails);

    private readonly ConcurrentDictionary<(string Page, Platform Platform, string Person), DateTimeOffset> _lastInbound = new();

    public Task ConsumeAsync(InboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        if (inboxEvent.Kind == InboxEventKind.New)
        {
            Saw(inboxEvent.PageId, inboxEvent.Platform, inboxEvent.PersonId, inboxEvent.Timestamp);
        }
        return Task.CompletedTask;
    }

    /// <summary>The person's window as far as this gateway knows; null when it never saw them write.</summary>
    public MessagingWindow? Of(string pageId, Platform platform, string personId)
        => _lastInbound.TryGetValue((pageId, platform, personId), out var at) ? new MessagingWindow(at) : null;

    /// <summary>The window of the person in a conversation the gateway has met (<see cref="PersonConversations.PersonIn"/>).</summary>
    public MessagingWindow? OfConversation(string conversationId)
        => people.PersonIn(conversationId) is { } person ? Of(person.PageId, person.Platform, person.PersonId) : null;

    /// <summary>Learns from a <see cref="ThreadRead"/> of a Page's conversation: whose it is (remembered with
    /// <see cref="PersonConversations"/>) and when they last wrote. Null when no participant is a person.</summary>
    public ReplyThread? Learn(string pageId, Platform platform, Conversation read)
    {
        var participants = read.Participants?.Data ?? [];
        if (PersonAmong(participants, pageId) is not { } person)
        {
            return null;
        }
        var conversation = new PersonConversation(read.Id, participants);
        people.Remember(pageId, platform, person.Id, conversation);
        // Newest first: the first of the person's is their last.
        if (read.Messages?.Data.FirstOrDefault(message => message.From?.Id == person.Id)?.CreatedTime is { } wroteAt)
        {
            Saw(pageId, platform, person.Id, wroteAt);
        }
        return new ReplyThread(pageId, platform, person.Id, conversation);
    }

    /// <summary>The person among a conversation's participants: the one that is neither the Page nor its Instagram account
    /// (<c>Meta:Pages:&lt;pageId&gt;:InstagramAccountId</c>); Meta lists the person first, which settles an Instagram
    /// conversation whose account is not configured.</summary>
    public Participant? PersonAmong(IEnumerable<Participant> participants, string pageId)
    {
        var account = pages.Value.Pages.GetValueOrDefault(pageId)?.InstagramAccountId;
        return participants.FirstOrDefault(participant => participant.Id != pageId && participant.Id != account);
    }

    /// <summary>The Page's own side of a conversation on <paramref name="platform"/>: its Instagram account there, when known.</summary>
    public string PageSideOf(string pageId, Platform platform, PersonConversation? conversation, string personId)
        => conversation?.Participants.FirstOrDefault(participant => participant.Id != personId)?.Id
           ?? (platform == Platform.Instagram ? pages.Value.Pages.GetValueOrDefault(pageId)?.InstagramAccountId : null)
           ?? pageId;

    private void Saw(string pageId, Platform platform, string personId, DateTimeOffset wroteAt)
    {
        if (_lastInbound.Count >= Capacity)
        {
            Forget();
        }
        _lastInbound.AddOrUpdate((pageId, platform, personId), wroteAt, (_, known) => known > wroteAt ? known : wroteAt);
    }

    /// <summary>Closed windows go first (no tag reopens them after 7 days), then, if that was not enough, a tenth of the rest.</summary>
    private void Forget()
    {
        var over = time.GetUtcNow() - MessagingWindow.HumanAgent;
        foreach (var (key, at) in _lastInbound)
        {
            if (at < over)
            {
                _lastInbound.TryRemove(key, out _);
            }
        }
        foreach (var key in _lastInbound.Keys.Take(_lastInbound.Count >= Capacity ? Capacity / 10 : 0))
        {
            _lastInbound.TryRemove(key, out _);
        }
    }
}

/// <summary>A person a Page sends to, and their conversation when the gateway knows it.</summary>
public sealed record ReplyThread(string PageId, Platform Platform, string PersonId, PersonConversation? Conversation);
