using Gateway.Caching;
using Gateway.Callers;
using Gateway.Inbox;
using Gateway.Upstream;
using MetaGraph;

namespace Gateway.Sending;

/// <summary>
/// Sending as the mutations ask for it: the Page a send is made as (a conversation's is known from the spine, else from the
/// token that reads it) and the token to send with, the caller's send permission checked first (<see cref="AccessTokens.ForSending"/>);
/// then the message (<see cref="MessageSender"/>) or the sender action (<see cref="MessageDelivery"/>). Scoped: it acts for
/// the request's caller.
/// </summary>
public sealed class Outbox(
    AccessTokens tokens, GovernedGraphClient client, PersonConversations people, MessagingWindows windows, ReplyThreads threads,
    MessageSender sender, MessageDelivery delivery, GraphResultCache cache)
{
    private static readonly FieldList Correspondents = FieldList.Of("id", "from", "to");

    public async Task<SendOutcome> SendToConversationAsync(string conversationId, OutgoingMessage message, string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var (pageId, token) = await PageOfConversationAsync(conversationId, cancellationToken);
        return await sender.SendAsync(new MessageToSend(pageId, token, GraphIds.PlatformOfConversation(conversationId), conversationId, null, message,
            idempotencyKey), cancellationToken);
    }

    public Task<SendOutcome> SendToPersonAsync(string pageId, Platform platform, string personId, OutgoingMessage message, string? idempotencyKey,
        CancellationToken cancellationToken)
        => sender.SendAsync(new MessageToSend(pageId, tokens.ForSending(pageId), platform, null, personId, message, idempotencyKey), cancellationToken);

    /// <summary>A sender action in a conversation; the Page it was made as, and why it failed if it did.</summary>
    public async Task<(string PageId, SendError? Error)> ActInConversationAsync(string conversationId, SenderAction action, bool needsWindow,
        CancellationToken cancellationToken)
    {
        var (pageId, token) = await PageOfConversationAsync(conversationId, cancellationToken);
        var thread = await threads.FindAsync(token, pageId, GraphIds.PlatformOfConversation(conversationId), conversationId, null, cancellationToken);
        if (thread is null)
        {
            return (pageId, new RecipientNotFound("This conversation has no person the Page could act for."));
        }
        var error = await delivery.ActAsync(token, thread, action, needsWindow);
        // A read receipt changes what Graph answers (the unread count); a typing bubble changes nothing, and agents type often.
        if (error is null && action == SenderAction.MarkSeen)
        {
            await cache.WrittenAsync(pageId, conversationId, cancellationToken);
        }
        return (pageId, error);
    }

    /// <summary>Reacts to a message as the Page (or takes its reaction back, when <paramref name="reaction"/> is null): the message is
    /// read (its sender and recipient, through the cache) to find the person, as Meta's call names them.</summary>
    public async Task<(string PageId, SendError? Error)> ReactAsync(string messageId, string? reaction, CancellationToken cancellationToken)
    {
        var pageId = await client.PageIdOfAsync(tokens.ForNode(), cancellationToken);
        var token = tokens.ForSending(pageId);
        var message = (await client.GetNodeAsync<Message>(token, messageId, Correspondents, cancellationToken)).Value;
        var platform = messageId.StartsWith("m_", StringComparison.Ordinal) ? Platform.Messenger : Platform.Instagram;
        if (windows.PersonAmong((message.To?.Data ?? []).Prepend(message.From).OfType<Participant>(), pageId) is not { } person)
        {
            return (pageId, new RecipientNotFound("This message has no person the Page could react for."));
        }
        var thread = new ReplyThread(pageId, platform, person.Id, people.Known(pageId, platform, person.Id));
        var action = reaction is null ? SenderAction.Unreact(messageId) : SenderAction.React(messageId, reaction);
        var error = await delivery.ActAsync(token, thread, action, needsWindow: true);
        if (error is null)
        {
            await cache.MessageWrittenAsync(messageId, cancellationToken);
        }
        return (pageId, error);
    }

    private async Task<(string PageId, string Token)> PageOfConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        var pageId = people.PersonIn(conversationId)?.PageId ?? await client.PageIdOfAsync(tokens.ForNode(), cancellationToken);
        return (pageId, tokens.ForSending(pageId));
    }
}
