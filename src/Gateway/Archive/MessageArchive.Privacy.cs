using System.Security.Cryptography;
using Gateway.Archive.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Archive;

/// <summary>What erasing a person removed.</summary>
/// <param name="MessagesDeleted">Messages the person sent, in every Page's inbox.</param>
/// <param name="ParticipantsRemoved">The person's places in conversations' participants.</param>
public sealed record PersonErasure(int MessagesDeleted, int ParticipantsRemoved);

/// <summary>What a retention purge removed.</summary>
public sealed record RetentionPurge(int MessagesDeleted, int ConversationsDeleted);

/// <summary>A request of Meta's data deletion callback, as its status page shows it (the person's id is not shown).</summary>
public sealed record DataDeletionStatus(string ConfirmationCode, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt,
    int MessagesDeleted, int ParticipantsRemoved);

public sealed partial class MessageArchive
{
    /// <summary>Messages are purged in slices of this many, so a large purge never holds the database for long.</summary>
    private const int PurgeSlice = 5_000;

    /// <summary>
    /// Retention: deletes the messages created before now minus <paramref name="retention"/>, and the conversations
    /// (with their participants) that have no message left and were last updated before then.
    /// </summary>
    public async Task<RetentionPurge> PurgeAsync(TimeSpan retention, CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - retention;
        await using var context = database.CreateContext();
        var messages = 0;
        int slice;
        do
        {
            var oldest = context.Messages.Where(message => message.CreatedTime < cutoff).OrderBy(message => message.Seq)
                .Take(PurgeSlice).Select(message => message.Seq);
            slice = await context.Messages.Where(message => oldest.Contains(message.Seq)).ExecuteDeleteAsync(cancellationToken);
            messages += slice;
        }
        while (slice == PurgeSlice);
        var conversations = await context.Conversations
            .Where(conversation => (conversation.UpdatedTime ?? conversation.LastSeen) < cutoff
                                   && !context.Messages.Any(message => message.ConversationId == conversation.Id))
            .ExecuteDeleteAsync(cancellationToken);
        return new RetentionPurge(messages, conversations);
    }

    /// <summary>Erases a person across every Page: the messages they sent and their places among participants.</summary>
    public async Task<PersonErasure> ErasePersonAsync(string personId, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var erasure = await ErasePersonAsync(context, personId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return erasure;
    }

    /// <summary>Records a request of Meta's data deletion callback and gives it an unguessable confirmation code (the
    /// status page's key).</summary>
    public async Task<DataDeletionStatus> RequestDataDeletionAsync(string userId, CancellationToken cancellationToken = default)
    {
        var row = new DataDeletionRow
        {
            ConfirmationCode = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            UserId = userId,
            RequestedAt = time.GetUtcNow(),
        };
        await using var context = database.CreateContext();
        context.DataDeletions.Add(row);
        await context.SaveChangesAsync(cancellationToken);
        return Status(row);
    }

    /// <summary>
    /// Carries out a data deletion request: erases each of <paramref name="personIds"/> (the Page-scoped ids Meta's user
    /// id maps to) and records the counts and the time, in one transaction. A request already completed is left as it was.
    /// </summary>
    /// <returns>The request's status, or null when the code is unknown.</returns>
    public async Task<DataDeletionStatus?> CompleteDataDeletionAsync(string confirmationCode, IReadOnlyCollection<string> personIds,
        CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var request = await context.DataDeletions.SingleOrDefaultAsync(row => row.ConfirmationCode == confirmationCode, cancellationToken);
        if (request is null || request.CompletedAt is not null)
        {
            return request is null ? null : Status(request);
        }
        foreach (var personId in personIds.Distinct())
        {
            var erasure = await ErasePersonAsync(context, personId, cancellationToken);
            request.MessagesDeleted += erasure.MessagesDeleted;
            request.ParticipantsRemoved += erasure.ParticipantsRemoved;
        }
        request.CompletedAt = time.GetUtcNow();
        await context.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Status(request);
    }

    public async Task<DataDeletionStatus?> GetDataDeletionAsync(string confirmationCode, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var row = await context.DataDeletions.AsNoTracking().SingleOrDefaultAsync(request => request.ConfirmationCode == confirmationCode, cancellationToken);
        return row is null ? null : Status(row);
    }

    /// <summary>Requests not carried out yet (an instance stopped between recording and erasing), oldest first, with the
    /// user id each was made for.</summary>
    public async Task<IReadOnlyList<(string ConfirmationCode, string UserId)>> GetPendingDataDeletionsAsync(CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var pending = await context.DataDeletions.AsNoTracking().Where(request => request.CompletedAt == null)
            .OrderBy(request => request.RequestedAt).Select(request => new { request.ConfirmationCode, request.UserId })
            .ToListAsync(cancellationToken);
        return [.. pending.Select(request => (request.ConfirmationCode, request.UserId))];
    }

    private static async Task<PersonErasure> ErasePersonAsync(ArchiveContext context, string personId, CancellationToken cancellationToken)
    {
        var messages = await context.Messages.Where(message => message.FromId == personId).ExecuteDeleteAsync(cancellationToken);
        var participants = await context.Participants.Where(participant => participant.PersonId == personId).ExecuteDeleteAsync(cancellationToken);
        return new PersonErasure(messages, participants);
    }

    private static DataDeletionStatus Status(DataDeletionRow row)
        => new(row.ConfirmationCode, row.RequestedAt, row.CompletedAt, row.MessagesDeleted, row.ParticipantsRemoved);
}
