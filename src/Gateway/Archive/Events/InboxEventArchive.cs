using Gateway.Inbox;
using Gateway.Telemetry;
using Gateway.Upstream;
using MetaGraph;

namespace Gateway.Archive.Events;

/// <summary>
/// Inbox events as the archive keeps them. A person's message and the Page's echo (the gateway's own sends come back as
/// echoes) become the message with what the webhook said, and its conversation is kept with its participants; a reaction
/// changes the reactions of the message it names; an unsend erases the message's content, or, when the archive does not
/// hold the message yet, leaves a deleted row that no later copy fills. A message belongs to a conversation, which a new
/// person's event does not name: it is looked up (what the archive knows, else Graph with the Page's configured token,
/// behind readers). An event whose conversation cannot be found is not archived; a later read or sync of the conversation
/// brings its messages. Read receipts are not kept.
/// </summary>
public sealed partial class InboxEventArchive(
    MessageArchive archive, PersonConversations people, GatewayMetrics metrics, ILogger<InboxEventArchive> logger)
{
    /// <summary>Writes the events, in their order, in two transactions (their conversations, then their messages).</summary>
    /// <exception cref="Exception">The database is away (<see cref="ArchiveDatabase.IsUnavailable"/>): nothing of the
    /// batch is lost by retrying it whole, since every write is an idempotent merge.</exception>
    public async Task ArchiveAsync(IReadOnlyList<InboxEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(events, cancellationToken);
        }
        catch (Exception error) when (ArchiveDatabase.IsUnavailable(error))
        {
            archive.ForgetConnections();
            throw;
        }
    }

    private async Task WriteAsync(IReadOnlyList<InboxEvent> events, CancellationToken cancellationToken)
    {
        var kept = events.Where(e => !e.IsHistoryGap && e.Kind != InboxEventKind.Read && e.MessageId is not null).ToList();
        if (kept.Count == 0)
        {
            return;
        }
        var changed = kept.Where(e => e.Kind is InboxEventKind.Reaction or InboxEventKind.Deleted).Select(e => e.MessageId!).ToHashSet();
        var known = changed.Count == 0 ? []
            : (await archive.GetMessagesAsync(changed, cancellationToken)).ToDictionary(stored => stored.Key, stored => stored.Value.Message);
        var conversations = await ConversationsAsync(kept.Where(e => e.Kind is InboxEventKind.New or InboxEventKind.Echo
            || (e.Kind == InboxEventKind.Deleted && !known.ContainsKey(e.MessageId!))), cancellationToken);
        var copies = new List<ArchivedMessage>(kept.Count);
        foreach (var inboxEvent in kept)
        {
            var conversation = conversations.GetValueOrDefault(PersonKey(inboxEvent));
            var copy = inboxEvent.Kind switch
            {
                InboxEventKind.Reaction => Reacted(inboxEvent, known.GetValueOrDefault(inboxEvent.MessageId!)),
                InboxEventKind.Deleted => Unsent(inboxEvent, known.GetValueOrDefault(inboxEvent.MessageId!), conversation),
                _ => Written(inboxEvent, known.GetValueOrDefault(inboxEvent.MessageId!), conversation),
            };
            Count(inboxEvent, copy is not null ? "archived" : inboxEvent.Kind is InboxEventKind.Reaction ? "unknown_message" : "unresolved");
            if (copy is not null)
            {
                known[copy.Id] = copy;
                copies.Add(copy);
            }
        }
        await archive.UpsertConversationsAsync(ConversationRows(kept, conversations), cancellationToken);
        await archive.UpsertMessagesAsync(copies, cancellationToken);
    }

    /// <summary>A person's message or the Page's echo, with the reactions the archive already knew of it.</summary>
    private static ArchivedMessage? Written(InboxEvent inboxEvent, ArchivedMessage? known, PersonConversation? conversation)
        => conversation is null ? null
            : ArchivedMessages.FromGraph(inboxEvent.Message!.ToGraph(inboxEvent.Timestamp, conversation.Participants), conversation.Id,
                inboxEvent.PageId, inboxEvent.Platform, MessageSources.Webhook, WebhookMessage.GraphFields) with { Reactions = known?.Reactions };

    /// <summary>The person's reaction replaces theirs (Meta keeps one a person), or takes it back; named as Graph names it.</summary>
    private static ArchivedMessage? Reacted(InboxEvent inboxEvent, ArchivedMessage? known)
    {
        if (known is null)
        {
            return null;
        }
        var reaction = inboxEvent.Reaction!;
        var person = new Participant { Id = inboxEvent.PersonId };
        var reactions = (known.Reactions ?? []).Select(r => r with { Users = [.. r.Users.Where(user => user.Id != person.Id)] }).ToList();
        if (reaction.Action == ReactionAction.React && (reaction.Reaction == "other" ? reaction.Emoji : reaction.Reaction) is { } name)
        {
            var same = reactions.FindIndex(r => r.Name == name);
            if (same < 0)
            {
                reactions.Add(new Reaction { Name = name, Users = [person] });
            }
            else
            {
                reactions[same] = reactions[same] with { Users = [.. reactions[same].Users, person] };
            }
        }
        return Identity(known) with { Reactions = [.. reactions.Where(r => r.Users.Count > 0)] };
    }

    /// <summary>An unsend: the message held loses its content; one not held yet is kept as deleted, so that a copy arriving
    /// later (another instance's, say) brings nothing back.</summary>
    private static ArchivedMessage? Unsent(InboxEvent inboxEvent, ArchivedMessage? known, PersonConversation? conversation)
    {
        if (known is not null)
        {
            return Identity(known) with { Deleted = true };
        }
        return conversation is null ? null : new ArchivedMessage
        {
            Id = inboxEvent.MessageId!,
            ConversationId = conversation.Id,
            PageId = inboxEvent.PageId,
            Platform = inboxEvent.Platform,
            // Not its created time, which the unsend does not say: a deleted message is never shown in its thread.
            CreatedTime = inboxEvent.Timestamp,
            Sources = MessageSources.Webhook,
            From = new Participant { Id = inboxEvent.PersonId },
            Deleted = true,
        };
    }

    /// <summary>A copy that says nothing but where the message belongs: merged, it changes only what is set on it.</summary>
    private static ArchivedMessage Identity(ArchivedMessage known) => new()
    {
        Id = known.Id,
        ConversationId = known.ConversationId,
        PageId = known.PageId,
        Platform = known.Platform,
        CreatedTime = known.CreatedTime,
        Sources = MessageSources.Webhook,
        Reactions = known.Reactions,
    };

    private static List<ArchivedConversation> ConversationRows(IEnumerable<InboxEvent> events,
        IReadOnlyDictionary<(string, Platform, string), PersonConversation> conversations)
        => [.. events.Where(e => e.Kind is InboxEventKind.New or InboxEventKind.Echo && conversations.ContainsKey(PersonKey(e)))
            .GroupBy(e => conversations[PersonKey(e)].Id)
            .Select(group => new ArchivedConversation
            {
                Id = group.Key,
                PageId = group.First().PageId,
                Platform = group.First().Platform,
                UpdatedTime = group.Max(e => e.Timestamp),
                Participants = conversations[PersonKey(group.First())].Participants,
            })];

    /// <summary>Each person's conversation: as the event carries it, else as this instance or the archive knows it, else
    /// looked up on Graph in the background (null without a configured token for the Page).</summary>
    private async Task<Dictionary<(string, Platform, string), PersonConversation>> ConversationsAsync(IEnumerable<InboxEvent> events,
        CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string, Platform, string), PersonConversation>();
        foreach (var inboxEvent in events.DistinctBy(PersonKey))
        {
            var (pageId, platform, personId) = PersonKey(inboxEvent);
            var conversation = inboxEvent.Conversation
                ?? people.Known(pageId, platform, personId)
                ?? (await archive.FindConversationAsync(pageId, platform, personId, cancellationToken) is { } archived
                    ? new PersonConversation(archived.Id, archived.Participants) : null)
                ?? await people.FindAsync(pageId, platform, personId, accessToken: null, cancellationToken, CallPriority.Background);
            if (conversation is null)
            {
                Log.Unresolved(logger, platform, pageId);
                continue;
            }
            found[(pageId, platform, personId)] = conversation;
        }
        return found;
    }

    private static (string PageId, Platform Platform, string PersonId) PersonKey(InboxEvent inboxEvent)
        => (inboxEvent.PageId, inboxEvent.Platform, inboxEvent.PersonId);

    private void Count(InboxEvent inboxEvent, string outcome)
        => metrics.ArchiveEvents.Add(1, new("kind", inboxEvent.Kind.ToString()), new("outcome", outcome));

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "A {Platform} event of Page {PageId} is not archived: its conversation could not be found (a new person, and no access token configured for the Page, or Graph did not answer).")]
        public static partial void Unresolved(ILogger logger, Platform platform, string pageId);
    }
}
