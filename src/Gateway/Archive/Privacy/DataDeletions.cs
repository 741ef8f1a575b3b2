namespace Gateway.Archive.Privacy;

/// <summary>
/// Meta's data deletion requests, carried out on the archive: the request is recorded (its confirmation code is what Meta
/// shows the person), then the person's messages are deleted on every Page and their places among participants removed,
/// in one transaction. A request recorded by an instance that stopped before carrying it out is carried out at the next
/// start-up (<see cref="CompletePendingAsync"/>).
/// <para>Meta names the person by the app-scoped id its callback carries. The archive knows people by the ids webhooks and
/// Graph give: Page-scoped (PSID on Messenger, IGSID on Instagram). The request erases the people the archive holds under
/// that id; see docs/archive.md, "Meta's data deletion callback", for how the ids relate.</para>
/// </summary>
public sealed class DataDeletions(MessageArchive archive)
{
    /// <summary>Records and carries out the request. When the database fails after recording, the request is answered
    /// anyway (Meta and the person get its code) and carried out at the next start-up.</summary>
    public async Task<DataDeletionStatus> RequestAsync(string userId, CancellationToken cancellationToken)
    {
        var requested = await archive.RequestDataDeletionAsync(userId, cancellationToken);
        try
        {
            return await archive.CompleteDataDeletionAsync(requested.ConfirmationCode, PeopleOf(userId), cancellationToken) ?? requested;
        }
        catch (Exception error) when (ArchiveDatabase.IsUnavailable(error))
        {
            return requested;
        }
    }

    public async Task CompletePendingAsync(CancellationToken cancellationToken)
    {
        foreach (var (code, userId) in await archive.GetPendingDataDeletionsAsync(cancellationToken))
        {
            await archive.CompleteDataDeletionAsync(code, PeopleOf(userId), cancellationToken);
        }
    }

    /// <summary>The ids the archive holds the person under.</summary>
    private static IReadOnlyCollection<string> PeopleOf(string userId) => [userId];
}
