using Gateway.DataLoading;
using Gateway.Messages;
using MetaGraph;

namespace Gateway.Conversations;

/// <summary>A page of <c>/{page}/conversations</c>.</summary>
public sealed record ConversationPageKey(
    string PageId, Platform Platform, string? UserId, string? Folder, int Limit, string? After, string? Before,
    ConversationProjection Projection)
{
    public ConversationsQuery ToQuery() => new(Platform, UserId, Folder, Limit, After, Before, Projection.Fields);
}

/// <summary>Reads conversation pages: one page is a direct call, several (say, two Pages' inboxes in one query) go
/// through one batch request. Pushed-down messages prime the messages loader.</summary>
public sealed class ConversationPageLoader(
    IMetaGraphClient client, string accessToken, DataLoaderOptions options, MessagesPageLoader messagePages)
    : BatchDataLoader<ConversationPageKey, GraphPage<Conversation>>(options)
{
    protected override async Task FetchAsync(
        IReadOnlyList<ConversationPageKey> keys, BatchResults<ConversationPageKey, GraphPage<Conversation>> results,
        CancellationToken cancellationToken)
    {
        await OneOrBatchRead.ReadAsync(client, accessToken, keys, results,
            async key => (await client.GetConversationsAsync(accessToken, key.PageId, key.ToQuery(), cancellationToken)).Value,
            key => RelativeUrl.Conversations(key.PageId, key.ToQuery()),
            (key, page) => Complete(key, page, results), cancellationToken);
    }

    private void Complete(ConversationPageKey key, GraphPage<Conversation> page, BatchResults<ConversationPageKey, GraphPage<Conversation>> results)
    {
        results.Set(key, page);
        messagePages.PrimeFrom(page.Data, key.Projection.Messages);
    }
}

/// <summary>A conversation by id, with the fields a query needs.</summary>
public sealed record ConversationKey(string Id, ConversationProjection Projection);

/// <summary>Conversations by id: one <c>?ids=</c> call per 50 ids that share a projection.</summary>
public sealed class ConversationLoader(
    IMetaGraphClient client, string accessToken, DataLoaderOptions options, MessagesPageLoader messagePages)
    : BatchDataLoader<ConversationKey, Conversation>(options)
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
            messagePages.PrimeFrom(conversations.Values, group.Key.Messages);
        }));
    }
}
