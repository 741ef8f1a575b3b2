using Gateway.Archive.Reads;
using Gateway.DataLoading;
using Gateway.Paging;
using MetaGraph;

namespace Gateway.Messages;

/// <summary>One listing of a conversation's messages (a slice of them) with the given details.</summary>
public sealed record MessagesListingKey(string ConversationId, int Limit, string? After, string? Before, MessageFields Fields)
{
    /// <summary>The listing a <c>messages</c> field asks for: the one read its arguments become.</summary>
    public static MessagesListingKey For(string conversationId, MetaPageRequest request, MessageFields fields)
        => new(conversationId, request.Limit, request.After, request.Before, fields);

    public PageQuery ToQuery() => new(Limit, After, Before, Fields.ToFieldList());
}

/// <summary>
/// Reads message pages. First pages of many conversations share one <c>?ids=...&amp;fields=messages.limit(n){...}</c>
/// call; pages behind a cursor are conversation-specific, so several of them go through one batch request.
/// </summary>
public sealed class MessagesListingLoader(IMetaGraphClient client, string accessToken, DataLoaderOptions options)
    : BatchLoader<MessagesListingKey, GraphList<Message>>(options)
{
    private static readonly GraphList<Message> EmptyPage = new();
    private readonly Dictionary<string, (MessagesPush Push, GraphList<Message> Page)> _pushed = new(StringComparer.Ordinal);
    private readonly Lock _pushedGate = new();

    /// <summary>Keeps the pages that came back inside a parent's call. A pushed page carries the details of every aliased
    /// <c>messages</c> field asking for it, so it serves any of them.</summary>
    public void PrimeFrom(IEnumerable<Conversation> conversations, MessagesPush? push)
    {
        if (push is null)
        {
            return;
        }
        lock (_pushedGate)
        {
            foreach (var conversation in conversations)
            {
                _pushed.TryAdd(conversation.Id, (push, conversation.Messages ?? EmptyPage));
            }
        }
    }

    /// <summary>The page from the parent's call, when it holds what the key asks for; otherwise the page is
    /// <see cref="BatchLoader{TKey,TValue}.Load">loaded</see>.</summary>
    public bool TryGetPushed(MessagesListingKey key, out GraphList<Message> page)
    {
        lock (_pushedGate)
        {
            if (_pushed.TryGetValue(key.ConversationId, out var pushed) && pushed.Push.Holds(key))
            {
                page = pushed.Page;
                return true;
            }
        }
        page = EmptyPage;
        return false;
    }

    protected override Task FetchAsync(
        IReadOnlyList<MessagesListingKey> keys, BatchResults<MessagesListingKey, GraphList<Message>> results, CancellationToken cancellationToken)
    {
        var firstPages = keys.Where(key => key.After is null && key.Before is null)
            .GroupBy(key => (key.Limit, key.Fields))
            .Select(group => FetchFirstPagesAsync(group.Key.Limit, group.Key.Fields, group.ToList(), results, cancellationToken));
        var cursorPages = keys.Where(key => key.After is not null || key.Before is not null).ToList();
        return Task.WhenAll(firstPages.Append(FetchCursorPagesAsync(cursorPages, results, cancellationToken)));
    }

    private async Task FetchFirstPagesAsync(
        int limit, MessageFields fields, List<MessagesListingKey> keys, BatchResults<MessagesListingKey, GraphList<Message>> results,
        CancellationToken cancellationToken)
    {
        var expansion = FieldList.Of("id").AddEdge("messages", fields.ToFieldList(), limit);
        try
        {
            var ids = keys.Select(key => key.ConversationId).Distinct().ToList();
            var conversations = (await client.GetByIdsAsync<Conversation>(accessToken, ids, expansion, cancellationToken)).Value;
            foreach (var key in keys)
            {
                if (conversations.TryGetValue(key.ConversationId, out var conversation))
                {
                    results.Set(key, conversation.Messages ?? EmptyPage);
                }
            }
        }
        catch (GraphApiException error)
        {
            keys.ForEach(key => results.Fail(key, error));
        }
    }

    private async Task FetchCursorPagesAsync(
        List<MessagesListingKey> keys, BatchResults<MessagesListingKey, GraphList<Message>> results, CancellationToken cancellationToken)
    {
        try
        {
            if (keys.Count > 0)
            {
                await OneOrBatchRead.ReadAsync(client, accessToken, keys, results,
                    async key => (await client.GetMessagesAsync(accessToken, key.ConversationId, key.ToQuery(), cancellationToken)).Value,
                    key => RelativeUrl.Edge(key.ConversationId, "messages", key.ToQuery()), results.Set, cancellationToken);
            }
        }
        catch (GraphApiException error)
        {
            keys.ForEach(key => results.Fail(key, error));
        }
    }
}

/// <summary>A message's details with these fields.</summary>
/// <param name="PositionUnknown">Met by its id, not in a listing: whether Meta still gives its details is unknown.</param>
public sealed record MessageKey(string Id, MessageFields Fields, bool PositionUnknown = false);

/// <summary>
/// Message details by id: one <c>?ids=</c> call per 50 ids with the union of the requested fields. Graph fails a whole
/// <c>ids=</c> read when one message is past the 20-message rule, so such a batch is retried item by item through the
/// batch endpoint (one more call), where each message gets its own answer. With an archive, a message whose position is
/// unknown is looked up there first (one query for the batch): one the archive knows to be past Meta's window is answered
/// from it without asking Graph, and one Graph refuses is answered from it when held (unless it was unsent).
/// </summary>
public sealed class MessageLoader(IMetaGraphClient client, string accessToken, DataLoaderOptions options, PageArchive? archive)
    : BatchLoader<MessageKey, MessageDetails>(options)
{
    private static readonly IReadOnlyDictionary<string, ArchivedCopy> NothingArchived = new Dictionary<string, ArchivedCopy>();

    protected override async Task FetchAsync(
        IReadOnlyList<MessageKey> keys, BatchResults<MessageKey, MessageDetails> results, CancellationToken cancellationToken)
    {
        var unknown = keys.Where(key => key.PositionUnknown).Select(key => key.Id).ToHashSet(StringComparer.Ordinal);
        var archived = archive is not null && unknown.Count > 0 ? await archive.ReadAsync(unknown, withAge: true, cancellationToken) : NothingArchived;
        MessageDetails Refused(MessageKey key)
            => key.PositionUnknown && archived.TryGetValue(key.Id, out var copy) ? MessageDetails.FromArchive(copy.Message) : MessageDetails.Unavailable;
        var asked = new List<MessageKey>(keys.Count);
        foreach (var key in keys)
        {
            if (key.PositionUnknown && archived.TryGetValue(key.Id, out var copy) && copy.OlderThanWindow)
            {
                results.Set(key, MessageDetails.FromArchive(copy.Message));
            }
            else
            {
                asked.Add(key);
            }
        }
        if (asked.Count > 0)
        {
            await FetchFromGraphAsync(asked, results, Refused, cancellationToken);
        }
    }

    private async Task FetchFromGraphAsync(IReadOnlyList<MessageKey> keys, BatchResults<MessageKey, MessageDetails> results,
        Func<MessageKey, MessageDetails> refused, CancellationToken cancellationToken)
    {
        var fields = keys.Aggregate(MessageFields.None, (all, key) => all | key.Fields);
        var ids = keys.Select(key => key.Id).Distinct().ToList();
        IReadOnlyDictionary<string, Message> messages;
        try
        {
            messages = (await client.GetByIdsAsync<Message>(accessToken, ids, fields.ToFieldList(), cancellationToken)).Value;
        }
        catch (GraphApiException error) when (error.IsDeletedMessage && ids.Count == 1)
        {
            foreach (var key in keys)
            {
                results.Set(key, refused(key));
            }
            return;
        }
        catch (GraphApiException error) when ((error.IsDeletedMessage || error.IsNotFound) && ids.Count > 1)
        {
            messages = await FetchOneByOneAsync(ids, fields.ToFieldList(), keys, results, refused, cancellationToken);
        }
        foreach (var key in keys)
        {
            if (messages.TryGetValue(key.Id, out var message))
            {
                results.Set(key, MessageDetails.FromGraph(message, fields));
            }
        }
    }

    private async Task<IReadOnlyDictionary<string, Message>> FetchOneByOneAsync(
        List<string> ids, FieldList fields, IReadOnlyList<MessageKey> keys, BatchResults<MessageKey, MessageDetails> results,
        Func<MessageKey, MessageDetails> refused, CancellationToken cancellationToken)
    {
        var items = (await client.BatchAsync(accessToken, ids.Select(id => new BatchRequest(RelativeUrl.Node(id, fields))).ToList(),
            cancellationToken)).Value;
        var messages = new Dictionary<string, Message>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (items[i] is { Error: null, Body: { } body })
            {
                messages[ids[i]] = GraphJson.Deserialize<Message>(body);
                continue;
            }
            foreach (var key in keys.Where(key => key.Id == ids[i]))
            {
                if (items[i].Error is { IsDeletedMessage: true })
                {
                    results.Set(key, refused(key));
                }
                else
                {
                    results.Fail(key, items[i].Error!);
                }
            }
        }
        return messages;
    }
}

/// <summary>Details of messages past Meta's window, which Graph does not give: the archive's copies (one query a batch),
/// of the reading token's Page only.</summary>
public sealed class ArchivedMessageLoader(PageArchive archive, DataLoaderOptions options) : BatchLoader<string, MessageDetails>(options)
{
    protected override async Task FetchAsync(IReadOnlyList<string> keys, BatchResults<string, MessageDetails> results, CancellationToken cancellationToken)
    {
        var archived = await archive.ReadAsync(keys, withAge: false, cancellationToken);
        foreach (var id in keys)
        {
            results.Set(id, archived.TryGetValue(id, out var copy) ? MessageDetails.FromArchive(copy.Message) : MessageDetails.Unavailable);
        }
    }
}
