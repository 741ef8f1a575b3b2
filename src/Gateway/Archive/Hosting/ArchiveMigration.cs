using Gateway.Archive.Privacy;

namespace Gateway.Archive.Hosting;

/// <summary>
/// Applies the archive's migrations when the gateway starts, before it serves (instances starting together apply each
/// migration once: see <see cref="ArchiveDatabase.MigrateAsync"/>), then, in the background, carries out data deletion
/// requests left pending. When the database does not answer, the gateway starts anyway (it serves what Meta gives; <c>/health/ready</c>
/// says degraded) and tries again in the background until the database answers.
/// </summary>
public sealed partial class ArchiveMigration(ArchiveDatabase database, DataDeletions deletions, TimeProvider time, ILogger<ArchiveMigration> logger)
    : IHostedService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Pending deletions may wait on Meta (the ID Matching API): carried out in the background, never holding start-up.
        _retrying = await TryMigrateAsync(cancellationToken) ? CompletePendingDeletionsAsync(_stopping.Token) : RetryAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retrying.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task RetryAsync(CancellationToken stopping)
    {
        do
        {
            await Task.Delay(RetryInterval, time, stopping);
        }
        while (!await TryMigrateAsync(stopping));
        await CompletePendingDeletionsAsync(stopping);
    }

    private async Task<bool> TryMigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var applied = await database.MigrateAsync(cancellationToken);
            Log.Migrated(logger, database.Provider, applied.Count);
            return true;
        }
        catch (Exception error) when (ArchiveDatabase.IsUnavailable(error) && !cancellationToken.IsCancellationRequested)
        {
            Log.Unavailable(logger, error.GetType().Name, RetryInterval.TotalSeconds);
            return false;
        }
    }

    private async Task CompletePendingDeletionsAsync(CancellationToken stopping)
    {
        await Task.Yield();
        try
        {
            await deletions.CompletePendingAsync(stopping);
        }
        catch (Exception error) when (ArchiveDatabase.IsUnavailable(error) && !stopping.IsCancellationRequested)
        {
            Log.DeletionsWait(logger, error.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "The message archive ({Provider}) is up to date: {Applied} migrations applied.")]
        public static partial void Migrated(ILogger logger, ArchiveProvider provider, int applied);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The message archive's database does not answer ({Error}); its migrations are tried again every {Seconds} s.")]
        public static partial void Unavailable(ILogger logger, string error, double seconds);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Pending data deletion requests could not be carried out ({Error}): they stay recorded, and the next start carries them out.")]
        public static partial void DeletionsWait(ILogger logger, string error);
    }
}
