using System.Data.Common;
using Gateway.Archive.Storage;
using MetaGraph;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Gateway.Archive;

/// <summary>
/// The message archive: every message the gateway sees (webhooks, Graph reads, its own sends), kept beyond Meta's 20
/// most recent, searchable, and erased when privacy asks. It is the only way into the archive's database. Every method
/// is safe to call from several instances sharing one database; writes are idempotent by Meta's ids. No token is ever
/// written: nothing here takes one.
/// </summary>
public sealed partial class MessageArchive(ArchiveDatabase database, TimeProvider time)
{
    /// <summary>See <see cref="ArchiveDatabase.ForgetConnections"/>: for whatever finds the database away.</summary>
    public void ForgetConnections() => database.ForgetConnections();

    /// <summary>The most items one page of a thread or a search returns.</summary>
    public const int MaxPageSize = 100;

    private const string ConversationUpsertSql = """
        INSERT INTO conversations (id, page_id, platform, updated_time, first_seen, last_seen)
        VALUES (@id, @page_id, @platform, @updated_time, @now, @now)
        ON CONFLICT (id) DO UPDATE SET
            updated_time = CASE WHEN conversations.updated_time IS NULL OR excluded.updated_time > conversations.updated_time
                                THEN excluded.updated_time ELSE conversations.updated_time END,
            last_seen = excluded.last_seen
        """;

    private const string ParticipantUpsertSql = """
        INSERT INTO conversation_participants (conversation_id, person_id, name, username)
        VALUES (@conversation_id, @person_id, @name, @username)
        ON CONFLICT (conversation_id, person_id) DO UPDATE SET
            name = COALESCE(excluded.name, conversation_participants.name),
            username = COALESCE(excluded.username, conversation_participants.username)
        """;

    /// <summary>Writes conversations in one transaction: <c>updated_time</c> only moves forward, participants are added or
    /// filled in. Rows are written in id order, so concurrent writers never deadlock.</summary>
    public Task UpsertConversationsAsync(IReadOnlyCollection<ArchivedConversation> conversations, CancellationToken cancellationToken = default)
    {
        if (conversations.Count == 0)
        {
            return Task.CompletedTask;
        }
        var ordered = conversations.OrderBy(conversation => conversation.Id, StringComparer.Ordinal).ToList();
        return WriteAsync(async (context, transaction) =>
        {
            var dialect = context.Dialect;
            var now = dialect.Time(time.GetUtcNow());
            await SqlRows.ExecuteAsync(transaction, ConversationUpsertSql, ["@id", "@page_id", "@platform", "@updated_time", "@now"],
                ordered.Select(conversation => new object?[] { conversation.Id, conversation.PageId, ArchiveColumns.Platform(conversation.Platform),
                    conversation.UpdatedTime is { } updated ? dialect.Time(updated) : null, now }),
                cancellationToken);
            await SqlRows.ExecuteAsync(transaction, ParticipantUpsertSql, ["@conversation_id", "@person_id", "@name", "@username"],
                ordered.SelectMany(conversation => conversation.Participants.DistinctBy(person => person.Id)
                    .OrderBy(person => person.Id, StringComparer.Ordinal)
                    .Select(person => new object?[] { conversation.Id, person.Id, MessageRows.Cleaned(person.Name), MessageRows.Cleaned(person.Username) })),
                cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Writes messages in one transaction, each merged into what is stored (see <see cref="ArchivedMessage"/>): a replay
    /// changes nothing, a fuller copy fills gaps without erasing, a deleted message stays deleted and empty. Rows are
    /// written in id order, so two instances writing overlapping batches never deadlock; a message given twice is
    /// merged twice, in the order given.
    /// </summary>
    public Task UpsertMessagesAsync(IReadOnlyCollection<ArchivedMessage> messages, CancellationToken cancellationToken = default)
    {
        if (messages.Count == 0)
        {
            return Task.CompletedTask;
        }
        var now = time.GetUtcNow();
        return WriteAsync((context, transaction) => context.Dialect.UpsertMessagesAsync(transaction,
            messages.OrderBy(message => message.Id, StringComparer.Ordinal).Select(message => MessageRows.ToRow(message, now)),
            cancellationToken), cancellationToken);
    }

    /// <summary>The messages of these ids that the archive holds, deleted ones included (with no content), by id.</summary>
    public async Task<IReadOnlyDictionary<string, StoredMessage>> GetMessagesAsync(IReadOnlyCollection<string> ids,
        CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var rows = await context.Messages.AsNoTracking().Where(message => ids.Contains(message.Id)).ToListAsync(cancellationToken);
        return rows.ToDictionary(row => row.Id, MessageRows.ToStored);
    }

    public async Task<ArchivedConversation?> GetConversationAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var row = await context.Conversations.AsNoTracking().Include(conversation => conversation.Participants)
            .SingleOrDefaultAsync(conversation => conversation.Id == id, cancellationToken);
        return row is null ? null : new ArchivedConversation
        {
            Id = row.Id,
            PageId = row.PageId,
            Platform = row.Platform,
            UpdatedTime = row.UpdatedTime,
            Participants = [.. row.Participants.OrderBy(person => person.PersonId, StringComparer.Ordinal)
                .Select(person => new Participant { Id = person.PersonId, Name = person.Name, Username = person.Username })],
        };
    }

    /// <summary>
    /// A conversation's messages newest first, through its whole history, deleted ones left out. Paged by a cursor of
    /// (created time, id): messages that arrive between two pages land before the first page and never shift the next.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="after"/> is not a cursor of this archive.</exception>
    public async Task<ArchivePage<StoredMessage>> GetThreadAsync(string conversationId, int first, string? after = null,
        CancellationToken cancellationToken = default)
    {
        var size = PageSize(first);
        await using var context = database.CreateContext();
        var thread = context.Messages.AsNoTracking().Where(message => message.ConversationId == conversationId && !message.Deleted);
        if (after is not null)
        {
            var cursor = ArchiveCursor.Decode(after);
            var (createdTime, id) = (cursor.CreatedTime, cursor.MessageId);
            thread = thread.Where(message => message.CreatedTime < createdTime
                                             || (message.CreatedTime == createdTime && string.Compare(message.Id, id) < 0));
        }
        var rows = await thread.OrderByDescending(message => message.CreatedTime).ThenByDescending(message => message.Id)
            .Take(size + 1).ToListAsync(cancellationToken);
        return Page(rows, size, row => new ArchiveEdge<StoredMessage>(MessageRows.ToStored(row),
            new ArchiveCursor(0, row.CreatedTime, row.Id).Encode()));
    }

    /// <summary>
    /// Of these messages, those the archive knows to be older than their conversation's <paramref name="recent"/> newest
    /// (it holds at least that many newer ones, deleted ones left out): messages Meta no longer gives the details of.
    /// </summary>
    public async Task<IReadOnlySet<string>> OlderThanRecentAsync(IReadOnlyCollection<string> ids, int recent,
        CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var older = await context.Messages.AsNoTracking()
            .Where(message => ids.Contains(message.Id))
            .Where(message => context.Messages
                .Where(newer => newer.ConversationId == message.ConversationId && !newer.Deleted
                                && (newer.CreatedTime > message.CreatedTime
                                    || (newer.CreatedTime == message.CreatedTime && string.Compare(newer.Id, message.Id) > 0)))
                .Take(recent).Count() == recent)
            .Select(message => message.Id)
            .ToListAsync(cancellationToken);
        return older.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The conversation a person has with a Page on a platform, when the archive knows it (a read of the
    /// conversation, or an earlier event, named them among its participants).</summary>
    public async Task<ArchivedConversation?> FindConversationAsync(string pageId, Platform platform, string personId,
        CancellationToken cancellationToken = default)
    {
        string? id;
        await using (var context = database.CreateContext())
        {
            id = await context.Participants.AsNoTracking().Where(participant => participant.PersonId == personId)
                .Join(context.Conversations.Where(conversation => conversation.PageId == pageId && conversation.Platform == platform),
                    participant => participant.ConversationId, conversation => conversation.Id, (_, conversation) => conversation.Id)
                .FirstOrDefaultAsync(cancellationToken);
        }
        return id is null ? null : await GetConversationAsync(id, cancellationToken);
    }

    /// <summary>How many messages of the conversation the archive holds, deleted ones left out.</summary>
    public async Task<int> CountMessagesAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        return await context.Messages.CountAsync(message => message.ConversationId == conversationId && !message.Deleted, cancellationToken);
    }

    private static int PageSize(int first)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(first);
        return Math.Min(first, MaxPageSize);
    }

    private static ArchivePage<T> Page<TRow, T>(IReadOnlyList<TRow> rows, int size, Func<TRow, ArchiveEdge<T>> edge)
        => new([.. rows.Take(size).Select(edge)], rows.Count > size);

    private async Task WriteAsync(Func<ArchiveContext, DbTransaction, Task> write, CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        await write(context, transaction.GetDbTransaction());
        await transaction.CommitAsync(cancellationToken);
    }
}
