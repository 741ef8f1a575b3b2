using Gateway.Inbox;
using Gateway.Upstream;
using MetaGraph;

namespace Gateway.Sending;

/// <summary>
/// Whom a send goes to and whether their window is open: from what the gateway knows (the spine's events, earlier reads),
/// else with one read of the thread (<see cref="MessagingWindows.ThreadRead"/>, a Conversations API call through the cache,
/// which every event of the conversation invalidates). Scoped: it reads as its send does.
/// </summary>
public sealed class ReplyThreads(GovernedGraphClient client, PersonConversations people, MessagingWindows windows, TimeProvider time)
{
    /// <summary>The thread of a conversation (whose person the spine told, or a read says), or of a person by id. Null when the
    /// conversation has no person in it.</summary>
    public async Task<ReplyThread?> FindAsync(string accessToken, string pageId, Platform platform, string? conversationId, string? personId,
        CancellationToken cancellationToken)
    {
        if (conversationId is null)
        {
            var person = personId ?? throw new ArgumentNullException(nameof(personId), "A thread is a conversation or a person.");
            return new ReplyThread(pageId, platform, person, people.Known(pageId, platform, person));
        }
        if (people.PersonIn(conversationId) is { } known)
        {
            return new ReplyThread(known.PageId, known.Platform, known.PersonId, people.Known(known.PageId, known.Platform, known.PersonId));
        }
        return await ReadAsync(accessToken, pageId, platform, conversationId, null, cancellationToken);
    }

    /// <summary>The person's window for a message <paramref name="length"/> may follow their last one by: what the gateway knows
    /// when that says open, else what the thread says (which also finds the conversation of a person named by id). Window null:
    /// the thread does not say (none of its 20 newest messages is the person's) and Meta decides. Thread null: the Page has no
    /// conversation with the person.</summary>
    public async Task<(ReplyThread? Thread, MessagingWindow? Window)> WindowAsync(string accessToken, ReplyThread thread, TimeSpan length,
        CancellationToken cancellationToken)
    {
        if (windows.Of(thread.PageId, thread.Platform, thread.PersonId) is { } known && known.IsOpen(time.GetUtcNow(), length))
        {
            return (thread, known);
        }
        var read = await ReadAsync(accessToken, thread.PageId, thread.Platform, thread.Conversation?.Id, thread.PersonId, cancellationToken);
        return (read, read is null ? null : windows.Of(read.PageId, read.Platform, read.PersonId));
    }

    private async Task<ReplyThread?> ReadAsync(string accessToken, string pageId, Platform platform, string? conversationId, string? personId,
        CancellationToken cancellationToken)
    {
        var conversation = conversationId is not null
            ? (await client.GetNodeAsync<Conversation>(accessToken, conversationId, MessagingWindows.ThreadRead, cancellationToken)).Value
            : (await client.GetConversationsAsync(accessToken, pageId,
                new ConversationsQuery(platform, UserId: personId, Limit: 1, Fields: MessagingWindows.ThreadRead), cancellationToken)).Value.Data.FirstOrDefault();
        return conversation is null ? null : windows.Learn(pageId, platform, conversation);
    }
}
