using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Gateway.Archive;
using Gateway.Upstream;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.InboxSync;

/// <summary>
/// The inbox syncs of this instance: started on request, resumed at start-up, watched while they run. One sync per Page
/// and platform runs at a time across all instances: a run holds the archive's lease on it (the database every instance of
/// an archive-enabled deployment shares), and a start that finds it held reports the run holding it. A forwarded token is
/// kept in this instance's memory for its run only; a sync started with one is resumed at the next start only when the
/// Page's token is configured on the server.
/// </summary>
public sealed partial class InboxSyncService(
    MessageArchive archive, InboxSyncRunner runner, IOptions<InboxSyncOptions> options, IOptions<ManagedPagesOptions> pages,
    TimeProvider time, ILogger<InboxSyncService> logger) : IHostedService
{
    private readonly ConcurrentDictionary<(string PageId, Platform Platform), ActiveRun> _runs = new();
    private readonly ConcurrentDictionary<(string PageId, Platform Platform), TaskCompletionSource> _changes = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _resuming = Task.CompletedTask;

    /// <summary>Starts the sync with <paramref name="accessToken"/> unless a run holds it (here or elsewhere), resuming a run
    /// that stopped (failed or interrupted) from its checkpoint, or after a completed one reading only what moved since.</summary>
    /// <returns>The status of the run that holds it now.</returns>
    public async Task<InboxSyncStatus> StartAsync(string pageId, Platform platform, string accessToken, CancellationToken cancellationToken)
        => _runs.TryGetValue((pageId, platform), out var active) ? active.Status
            : await TryStartAsync(pageId, platform, accessToken, cancellationToken)
              ?? (await GetAsync(pageId, platform, cancellationToken))!;

    /// <summary>The sync's status, or null when the Page's platform was never synced.</summary>
    public async Task<InboxSyncStatus?> GetAsync(string pageId, Platform platform, CancellationToken cancellationToken)
        => _runs.TryGetValue((pageId, platform), out var active) ? active.Status
            : await archive.GetSyncCheckpointAsync(pageId, platform, cancellationToken) is { } checkpoint
                ? InboxSyncStatus.Of(checkpoint, time.GetUtcNow())
                : null;

    /// <summary>The sync's status now (when it has one) and at every change, until a run ends that was working while it was
    /// watched, or that ended since (a short run may end between two looks): at once from a run on this instance, every
    /// <see cref="InboxSyncOptions.ProgressInterval"/> from the checkpoint of one elsewhere.</summary>
    public async IAsyncEnumerable<InboxSyncStatus> WatchAsync(string pageId, Platform platform, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = (pageId, platform);
        InboxSyncStatus? last = null;
        var sawActive = false;
        var looked = false;
        DateTimeOffset? finishedBefore = null;
        while (true)
        {
            // Taken before reading, so that a change between the read and the wait is not missed.
            var changed = _changes.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            var status = await GetAsync(pageId, platform, cancellationToken);
            if (status is not null && status != last)
            {
                yield return status;
                last = status;
            }
            if (!looked)
            {
                (looked, finishedBefore) = (true, status?.FinishedAt);
            }
            sawActive |= status?.IsActive == true;
            if (status is { IsActive: false } && (sawActive || status.FinishedAt != finishedBefore))
            {
                yield break;
            }
            await Task.WhenAny(changed, Task.Delay(options.Value.ProgressInterval, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <returns>The new run's status, or null when another run holds the lease.</returns>
    private async Task<InboxSyncStatus?> TryStartAsync(string pageId, Platform platform, string accessToken, CancellationToken cancellationToken)
    {
        var previous = await archive.GetSyncCheckpointAsync(pageId, platform, cancellationToken);
        if (await archive.TryClaimSyncAsync(pageId, platform, options.Value.LeaseDuration, cancellationToken) is not { } lease)
        {
            return null;
        }
        var key = (pageId, platform);
        var run = new ActiveRun(InboxSyncStatus.Of(lease.Checkpoint, time.GetUtcNow()));
        _runs[key] = run;
        var unchangedBefore = previous is { State: InboxSyncState.Completed } ? previous.StartedAt : null;
        _ = Task.Run(async () =>
        {
            try
            {
                await runner.RunAsync(lease, accessToken, unchangedBefore, status =>
                {
                    run.Status = status;
                    Changed(key);
                }, _stopping.Token);
            }
            finally
            {
                _runs.TryRemove(new KeyValuePair<(string, Platform), ActiveRun>(key, run));
                Changed(key);
                run.Ended.TrySetResult();
            }
        }, CancellationToken.None);
        return run.Status;
    }

    private void Changed((string PageId, Platform Platform) key)
    {
        if (_changes.TryRemove(key, out var change))
        {
            change.TrySetResult();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ResumeOnStart)
        {
            _resuming = Task.Run(() => ResumeInterruptedAsync(_stopping.Token), CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    /// <summary>Resumes every sync left running of a Page whose token is configured: at once when its lease has expired,
    /// else when it expires (the previous process of this instance, killed, held it), unless the run holding it renews it
    /// and then finishes.</summary>
    private async Task ResumeInterruptedAsync(CancellationToken stopping)
    {
        var configured = pages.Value.Pages.Where(page => page.Value.AccessToken.Length > 0).ToList();
        await Task.WhenAll(configured.SelectMany(page => Enum.GetValues<Platform>().Select(platform => ResumeAsync(page.Key, platform, page.Value.AccessToken, stopping))));
    }

    private async Task ResumeAsync(string pageId, Platform platform, string accessToken, CancellationToken stopping)
    {
        try
        {
            while (await archive.GetSyncCheckpointAsync(pageId, platform, stopping) is { State: InboxSyncState.Running } checkpoint
                   && !_runs.ContainsKey((pageId, platform))
                   && await TryStartAsync(pageId, platform, accessToken, stopping) is null)
            {
                var untilExpiry = (checkpoint.LeaseExpiresAt ?? time.GetUtcNow()) - time.GetUtcNow();
                await Task.Delay(untilExpiry < TimeSpan.Zero || untilExpiry > options.Value.LeaseDuration ? options.Value.LeaseDuration : untilExpiry,
                    time, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            Log.ResumeFailed(logger, platform, pageId, error.GetType().Name, error);
        }
    }

    /// <summary>Stops the runs here: each keeps its checkpoint as it last saved it, and its lease until it expires; the next
    /// start resumes it.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_runs.Values.Select(run => run.Ended.Task).Append(_resuming)).WaitAsync(cancellationToken);
    }

    /// <summary>A run on this instance, and its latest status.</summary>
    private sealed class ActiveRun(InboxSyncStatus status)
    {
        public InboxSyncStatus Status { get; set; } = status;

        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Could not resume the inbox sync of {Platform} for Page {PageId}: {Error}")]
        public static partial void ResumeFailed(ILogger logger, Platform platform, string pageId, string error, Exception exception);
    }
}
