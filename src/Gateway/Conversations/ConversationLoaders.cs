using Gateway.Archive.Reads;
using Gateway.DataLoading;
using Gateway.Messages;
using MetaGraph;

namespace Gateway.Conversations;

/// <summary>One listing of <c>/{page}/conversations</c> (a Page's conversations, one slice of them).</summary>
public sealed record ConversationListingKey(
    string PageId, Platform Platform, string? UserId, string? Folder, int Limit, string? After, string? Before,
    ConversationProjection Projection)
{
    public ConversationsQuery ToQuery() => new(Platform, UserId, Folder, Limit, After, Before, Projection.Fields);
}

/// <summary>Reads conversation listings: one listing is a direct call, several (say, two Pages' inboxes in one query) go
/// through one batch request. Pushed-down messages prime the messages loader; the conversations are handed to the archive.</summary>
public sealed class ConversationListingLoader(
    IMetaGraphClient client, string accessToken, DataLoaderOptions options, MessagesListingLoader messageListings, PageArchive? archive)
    : BatchLoader<ConversationListingKey, GraphList<Conversation>>(options)
{
    protected override async Task FetchAsync(
        IReadOnlyList<ConversationListingKey> keys, BatchResults<ConversationListingKey, GraphList<Conversation>> results,
        CancellationToken cancellationToken)
    {
        await OneOrBatchRead.ReadAsync(client, accessToken, keys, results,
            async key => (await client.GetConversationsAsync(accessToken, key.PageId, key.ToQuery(), cancellationToken)).Value,
            key => RelativeUrl.Conversations(key.PageId, key.ToQuery()),
            (key, page) => Complete(key, page, results), cancellationToken);
    }

    private void Complete(ConversationListingKey key, GraphList<Conversation> page, BatchResults<ConversationListingKey, GraphList<Conversation>> results)
    {
        results.Set(key, page);
        messageListings.PrimeFrom(page.Data, key.Projection.Messages);
        archive?.Record(page.Data);
    }
}

/// <summary>A conversation by id, with the fields a query needs.</summary>
public sealed record ConversationKey(string Id, ConversationProjection Projection);

/// <summary>Conversations by id: one <c>?ids=</c> call per 50 ids that share a projection.</summary>
public sealed class ConversationLoader(
    IMetaGraphClient client, string accessToken, DataLoaderOptions options, MessagesListingLoader messageListings, PageArchive? archive)
    : BatchLoader<ConversationKey, Conversation>(options)
{
    protected override async Task FetchAsync(
        IReadOnlyList<ConversationKey> keys, BatchResults<ConversationKey, Conversation> results, CancellationToken cancellationToken)
    {
        await Task.WhenAll(keys.GroupBy(key => key.Projection).Select(async group =>
        {
            var ids = group.Select(key => key.Id).Distinct().ToList();
            var conversations = (await client.GetByIdsAsync<Conversation>(accessToken, ids, group.Key.Fields, cancellationToken)).Value;
            foreach (var key in group)
            {
                if (conversations.TryGetValue(key.Id, out var conversation))
                {
                    results.Set(key, conversation);
                }
            }
            messageListings.PrimeFrom(conversations.Values, group.Key.Messages);
            archive?.Record(conversations.Values);
        }));
    }
}
