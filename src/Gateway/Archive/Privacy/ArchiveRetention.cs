using Microsoft.Extensions.Options;

namespace Gateway.Archive.Privacy;

/// <summary>
/// <c>Archive:Retention</c>: at start-up and then once a day (on the host's <see cref="TimeProvider"/>), messages created
/// longer ago than the retention are purged, and conversations left without messages. Off when the retention is unset.
/// </summary>
public sealed partial class ArchiveRetention(MessageArchive archive, IOptions<ArchiveOptions> options, TimeProvider time, ILogger<ArchiveRetention> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Retention is not { } retention)
        {
            return;
        }
        using var daily = new PeriodicTimer(Interval, time);
        do
        {
            await PurgeAsync(retention, stoppingToken);
        }
        while (await daily.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PurgeAsync(TimeSpan retention, CancellationToken stoppingToken)
    {
        try
        {
            var purge = await archive.PurgeAsync(retention, stoppingToken);
            Log.Purged(logger, purge.MessagesDeleted, purge.ConversationsDeleted, retention);
        }
        catch (Exception error) when (ArchiveDatabase.IsUnavailable(error) && !stoppingToken.IsCancellationRequested)
        {
            // Tomorrow's purge deletes what today's could not.
            Log.Failed(logger, error.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Archive retention ({Retention}): purged {Messages} messages and {Conversations} conversations.")]
        public static partial void Purged(ILogger logger, int messages, int conversations, TimeSpan retention);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Archive retention: the database did not answer ({Error}); the next purge is in a day.")]
        public static partial void Failed(ILogger logger, string error);
    }
}
