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
    IOptions<ArchiveOptions> options, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<DataDeletions> logger)
{
    /// <summary>How long Meta's callback waits for Meta's own ID Matching API before it is answered with the request pending.</summary>
    private static readonly TimeSpan MatchingWait = TimeSpan.FromSeconds(5);

    /// <summary>Records and carries out the request. When the database fails after recording, it is answered anyway (Meta and
    /// the person get its code) and carried out at the next start-up; when Meta cannot yet say which ids the person has, it
    /// is answered and tried again every <see cref="ArchiveOptions.DataDeletionRetryInterval"/> meanwhile.</summary>
    public async Task<DataDeletionStatus> RequestAsync(string userId, CancellationToken cancellationToken)
    {
        var requested = await archive.RequestDataDeletionAsync(userId, cancellationToken);
        try
        {
            if (await CompleteAsync(requested.ConfirmationCode, userId, cancellationToken) is { } completed)
            {
                return completed;
            }
        }
        catch (Exception error) when (ArchiveDatabase.IsUnavailable(error))
        {
            return requested;
        }
        _ = RetryAsync(requested.ConfirmationCode, userId, lifetime.ApplicationStopping);
        return requested;
    }

    private async Task RetryAsync(string code, string userId, CancellationToken stopping)
    {
        try
        {
            do
            {
                await Task.Delay(options.Value.DataDeletionRetryInterval, time, stopping);
            }
            while (await CompleteAsync(code, userId, stopping) is null);
        }
        catch (Exception error) when (stopping.IsCancellationRequested || ArchiveDatabase.IsUnavailable(error))
        {
            // Recorded as pending: the next start carries it out.
        }
    }

    public async Task CompletePendingAsync(CancellationToken cancellationToken)
    {
        foreach (var (code, userId) in await archive.GetPendingDataDeletionsAsync(cancellationToken))
        {
            if (await CompleteAsync(code, userId, cancellationToken) is null)
            {
                _ = RetryAsync(code, userId, lifetime.ApplicationStopping);
            }
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
        var app = meta.Value;
        if (string.IsNullOrEmpty(app.AppId) || string.IsNullOrEmpty(app.AppSecret))
        {
            return [userId];
        }
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(MatchingWait);
        try
        {
            var matched = await idMatching.GetIdsForPagesAsync(app.AppId, app.AppSecret, userId, patience.Token);
            return [userId, .. matched.Value.Data.Select(id => id.Id)];
        }
        catch (GraphApiException error) when (error.IsTransient || error.IsRateLimit)
        {
            Log.MetaUnavailable(logger, error.Code);
            return null;
        }
        catch (OperationCanceledException) when (patience.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Meta took longer than Meta's callback may wait.
            Log.MetaUnavailable(logger, 0);
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
        [LoggerMessage(Level = LogLevel.Warning, Message = "A data deletion request waits: Meta's ID Matching API did not answer (code {Code}); it is tried again.")]
        public static partial void MetaUnavailable(ILogger logger, int code);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Meta's ID Matching API refused to map a data deletion request's person (code {Code}): only the id Meta named is erased.")]
        public static partial void NotMatched(ILogger logger, int code);
    }
}
