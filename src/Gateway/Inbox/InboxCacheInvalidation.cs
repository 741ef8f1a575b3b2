using Gateway.Caching;

namespace Gateway.Inbox;

/// <summary>Drops the cached Graph answers an event makes wrong, on every instance and before subscribers hear of it (a
/// reader they prompt sees the change): any event changes its conversation and the Page's listings (order, snippet, counts,
/// a message's reactions); a reaction or an unsend also changes that message's details. A new person's conversation, not
/// known yet, is dropped once it is found (<see cref="PersonConversations"/>).</summary>
public sealed class InboxCacheInvalidation(GraphResultCache cache) : IInboxEventConsumer
{
    public async Task ConsumeAsync(InboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        if (inboxEvent.Conversation is { } conversation)
        {
            await cache.ConversationChangedAsync(inboxEvent.PageId, conversation.Id, cancellationToken);
        }
        else
        {
            await cache.ListingsChangedAsync(inboxEvent.PageId, cancellationToken);
        }
        if (inboxEvent.Kind is InboxEventKind.Reaction or InboxEventKind.Deleted && inboxEvent.MessageId is { } messageId)
        {
            await cache.ObjectChangedAsync(messageId, cancellationToken);
        }
    }
}
