using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.Archive.Privacy;

/// <summary>
/// Meta's data deletion requests, carried out on the archive: the request is recorded (its confirmation code is what Meta
/// shows the person), then the person's messages are deleted on every Page and their places among participants removed,
/// in one transaction. A request recorded by an instance that stopped before carrying it out, or whose ids Meta could not
/// be asked for, is carried out at the next start-up (<see cref="CompletePendingAsync"/>).
/// <para>Meta names the person by the app-scoped id its callback carries. The archive knows people by the ids webhooks and
/// Graph give: Page-scoped (PSID on Messenger, IGSID on Instagram). With <c>Meta:AppId</c> set, Meta's ID Matching API
/// (<c>ids_for_pages</c>, with the app's token) gives the person's id on each of the app's Pages, and those are erased with
/// the id Meta named; see docs/archive.md, "Meta's data deletion callback".</para>
/// </summary>
public sealed partial class DataDeletions(MessageArchive archive, IMetaIdMatchingClient idMatching, IOptions<MetaGraphOptions> meta,
    ILogger<DataDeletions> logger)
{
    /// <summary>Records and carries out the request. When the database fails after recording, or Meta cannot say which ids
    /// the person has, the request is answered anyway (Meta and the person get its code) and carried out at the next start-up.</summary>
    public async Task<DataDeletionStatus> RequestAsync(string userId, CancellationToken cancellationToken)
    {
        var requested = await archive.RequestDataDeletionAsync(userId, cancellationToken);
        try
        {
            return await CompleteAsync(requested.ConfirmationCode, userId, cancellationToken) ?? requested;
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
            await CompleteAsync(code, userId, cancellationToken);
        }
    }

    private async Task<DataDeletionStatus?> CompleteAsync(string code, string userId, CancellationToken cancellationToken)
        => await PeopleOfAsync(userId, cancellationToken) is { } people
            ? await archive.CompleteDataDeletionAsync(code, people, cancellationToken)
            : null;

    /// <summary>The ids the archive may hold the person under: the one Meta named, and their id on each of the app's Pages
    /// when the app's id is configured; null while Meta cannot be asked (the request stays pending).</summary>
    private async Task<IReadOnlyCollection<string>?> PeopleOfAsync(string userId, CancellationToken cancellationToken)
    {
        var options = meta.Value;
        if (string.IsNullOrEmpty(options.AppId) || string.IsNullOrEmpty(options.AppSecret))
        {
            return [userId];
        }
        try
        {
            var matched = await idMatching.GetIdsForPagesAsync(options.AppId, options.AppSecret, userId, cancellationToken);
            return [userId, .. matched.Value.Data.Select(id => id.Id)];
        }
        catch (GraphApiException error) when (error.IsTransient || error.IsRateLimit)
        {
            Log.MetaUnavailable(logger, error.Code);
            return null;
        }
        catch (GraphApiException error)
        {
            // Meta knows no such person for this app (or refuses the app's token): only the id it named.
            Log.NotMatched(logger, error.Code);
            return [userId];
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "A data deletion request waits: Meta's ID Matching API did not answer (code {Code}); it is carried out at the next start-up.")]
        public static partial void MetaUnavailable(ILogger logger, int code);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Meta's ID Matching API refused to map a data deletion request's person (code {Code}): only the id Meta named is erased.")]
        public static partial void NotMatched(ILogger logger, int code);
    }
}
