using Gateway.Archive;
using Gateway.Messages;
using Gateway.Upstream;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.InboxSync;

/// <summary>
/// Runs a Page's inbox sync on a lease it claimed: the conversations listing page by page, each page one Graph call that
/// carries every listed conversation's 20 most recent messages (field expansion), and for each page, in this order, the
/// conversations and messages that are new or moved, each conversation marked synced, then the checkpoint (the listing's
/// cursor and counts). A run stopped anywhere leaves no conversation marked without its messages, and resumes from the
/// last page it finished. Calls go at background priority: only when no reader of the Page waits, within the background
/// share of its allowance (<see cref="RateLimitOptions.BackgroundShare"/>); the governor paces them, never a sleep. They
/// bypass the read cache (<see cref="GovernedGraphClient.UsesCache"/>).
/// </summary>
public sealed partial class InboxSyncRunner(
    MessageArchive archive, IServiceScopeFactory scopes, IOptions<InboxSyncOptions> options, TimeProvider time, ILogger<InboxSyncRunner> logger)
{
    private readonly MessageArchive _archive = archive;
    private readonly IServiceScopeFactory _scopes = scopes;
    private readonly InboxSyncOptions _options = options.Value;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;

    /// <summary>What the listing asks of each message: every detail Graph gives (declared first: the listing's fields use it).</summary>
    private static readonly FieldList MessageListFields = MessageFields.All.ToFieldList();

    /// <summary>A listing page's conversations with what the archive keeps of them.</summary>
    private static readonly FieldList ListingFields = FieldList.Of("id", "updated_time", "participants")
        .AddEdge("messages", MessageListFields, limit: MessageNode.DetailsWindow);

    /// <summary>Runs the sync to its end, or until it is stopped; the last status either way. A failure Meta's answers or the
    /// database cause ends the run as failed, with a message that holds no token; <paramref name="stopping"/> leaves the
    /// checkpoint running, to be resumed once the lease expires.</summary>
    /// <param name="accessToken">The Page token to read with: held in memory for this run only, never stored or logged.</param>
    /// <param name="unchangedBefore">When the last completed run started: a conversation it archived that has not moved
    /// since, and is older than that, ends the listing (everything after it is older still and unchanged too).</param>
    /// <param name="report">Told each change of the run's status.</param>
    public Task<InboxSyncStatus> RunAsync(InboxSyncLease lease, string accessToken, DateTimeOffset? unchangedBefore,
        Action<InboxSyncStatus> report, CancellationToken stopping)
        => new Run(this, lease, accessToken, unchangedBefore, report).ExecuteAsync(stopping);

    /// <summary>Meta refused in a way that waiting cannot mend: the run stops as failed with this message.</summary>
    private sealed class SyncStoppedException(string message) : Exception(message);

    private sealed class Run(InboxSyncRunner runner, InboxSyncLease lease, string accessToken, DateTimeOffset? unchangedBefore, Action<InboxSyncStatus> report)
    {
        private readonly InboxSyncOptions _options = runner._options;
        private InboxSyncStatus _status = InboxSyncStatus.Of(lease.Checkpoint, DateTimeOffset.MinValue) with { State = SyncState.Running };
        /// <summary>Calls made since the checkpoint last counted them.</summary>
        private int _uncountedCalls;

        private MessageArchive Archive => runner._archive;

        public async Task<InboxSyncStatus> ExecuteAsync(CancellationToken stopping)
        {
            Log.Started(runner._logger, lease.Platform, lease.PageId, lease.Checkpoint.ListingCursor is not null);
            Report(_status);
            using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            try
            {
                await HoldingLeaseAsync(leaseLost, () => SyncAsync(leaseLost.Token));
                await Archive.CompleteSyncAsync(lease, stopping);
                Log.Completed(runner._logger, lease.Platform, lease.PageId, _status.ConversationsArchived, _status.ConversationsUnchanged, _status.CallsUsed);
                return Report(_status with { State = SyncState.Completed, ListingEnded = true, FinishedAt = runner._time.GetUtcNow(), LastError = null });
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return Report(_status with { State = SyncState.Interrupted });
            }
            catch (Exception lost) when (lost is InboxSyncLeaseLostException || (lost is OperationCanceledException && leaseLost.IsCancellationRequested))
            {
                // Taken over (this run's lease had expired): the run holding it now reports, and this one writes nothing more.
                Log.LeaseLost(runner._logger, lease.Platform, lease.PageId);
                return _status;
            }
            catch (Exception error)
            {
                var message = error is SyncStoppedException ? error.Message
                    : $"The sync stopped on an unexpected error ({error.GetType().Name}); start it again to resume from where it stopped.";
                Log.Failed(runner._logger, lease.Platform, lease.PageId, message, error is SyncStoppedException ? null : error);
                await TryFailAsync(message, stopping);
                return Report(_status with { State = SyncState.Failed, FinishedAt = runner._time.GetUtcNow(), LastError = message });
            }
        }

        /// <summary>Runs <paramref name="work"/> while renewing the lease every third of its duration; a renewal that finds
        /// the lease taken cancels <paramref name="leaseLost"/>.</summary>
        private async Task HoldingLeaseAsync(CancellationTokenSource leaseLost, Func<Task> work)
        {
            using var done = new CancellationTokenSource();
            var renewal = RenewAsync(leaseLost, done.Token);
            try
            {
                await work();
            }
            finally
            {
                await done.CancelAsync();
                await renewal;
            }
        }

        private async Task RenewAsync(CancellationTokenSource leaseLost, CancellationToken done)
        {
            using var timer = new PeriodicTimer(lease.Duration / 3, runner._time);
            try
            {
                while (await timer.WaitForNextTickAsync(done))
                {
                    await RenewOnceAsync(leaseLost, done);
                }
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
            }
        }

        private async Task RenewOnceAsync(CancellationTokenSource leaseLost, CancellationToken done)
        {
            try
            {
                await Archive.RenewSyncLeaseAsync(lease, done);
            }
            catch (InboxSyncLeaseLostException)
            {
                await leaseLost.CancelAsync();
            }
            catch (Exception error) when (!done.IsCancellationRequested)
            {
                // The database is unreachable for now: the next renewal, or the run's next write, tells whether the lease held.
                Log.RenewalFailed(runner._logger, lease.Platform, lease.PageId, error.GetType().Name);
            }
        }

        private async Task SyncAsync(CancellationToken cancellationToken)
        {
            var cursor = lease.Checkpoint.ListingCursor;
            while (true)
            {
                var page = await ReadListingAsync(cursor, cancellationToken);
                var reachedUnchanged = await ArchiveAsync(page, cancellationToken);
                if (reachedUnchanged || page.Paging?.Cursors?.After is not { } next || page.Paging.Next is null)
                {
                    return;
                }
                cursor = next;
            }
        }

        /// <summary>One listing page: retried after Meta's rate limit (the governor holds the call until the Page may call
        /// again) and, with growing waits, while Meta is unavailable; read again from the start when Meta no longer takes
        /// the cursor (its cursors expire: what was archived is then skipped).</summary>
        private async Task<GraphList<Conversation>> ReadListingAsync(string? cursor, CancellationToken cancellationToken)
        {
            var failures = 0;
            while (true)
            {
                try
                {
                    var page = await ListAsync(cursor, cancellationToken);
                    if (_status.State == SyncState.Paused)
                    {
                        Report(_status with { State = SyncState.Running, LastError = null });
                    }
                    return page;
                }
                catch (GraphApiException error) when (error.IsRateLimit)
                {
                    Report(_status with { State = SyncState.Paused, LastError = $"Meta's rate limit for this Page was reached (code {error.Code}): the sync goes on when the Page may call again." });
                }
                catch (GraphApiException error) when (cursor is not null && error.Code == 100 && !error.IsNotFound)
                {
                    cursor = null;
                }
                catch (Exception error) when (IsOutage(error))
                {
                    if (++failures >= _options.MaxAttempts)
                    {
                        throw new SyncStoppedException($"Meta was unavailable for {failures} calls in a row ({Outage(error)}); start the sync again to resume from where it stopped.");
                    }
                    var delay = RetryDelay(failures);
                    Report(_status with { State = SyncState.Paused, LastError = $"Meta is unavailable ({Outage(error)}): trying again in {delay.TotalSeconds:0.#} s." });
                    await Task.Delay(delay, runner._time, cancellationToken);
                }
                catch (GraphApiException error)
                {
                    throw new SyncStoppedException(Refusal(error));
                }
            }
        }

        private async Task<GraphList<Conversation>> ListAsync(string? cursor, CancellationToken cancellationToken)
        {
            await using var scope = runner._scopes.CreateAsyncScope();
            var client = scope.ServiceProvider.GetRequiredService<GovernedGraphClient>();
            client.Priority = CallPriority.Background;
            client.UsesCache = false;
            _uncountedCalls++;
            Report(_status with { CallsUsed = _status.CallsUsed + 1 });
            var query = new ConversationsQuery(lease.Platform, Limit: _options.ConversationsPerCall, After: cursor, Fields: ListingFields);
            return (await client.GetConversationsAsync(accessToken, lease.PageId, query, cancellationToken)).Value;
        }

        /// <summary>Writes the page's new and moved conversations, then its checkpoint.</summary>
        /// <returns>Whether the page reached what the previous completed run left unchanged.</returns>
        private async Task<bool> ArchiveAsync(GraphList<Conversation> page, CancellationToken cancellationToken)
        {
            var listed = page.Data.DistinctBy(conversation => conversation.Id)
                .Select(conversation => new ListedConversation(conversation.Id, conversation.UpdatedTime ?? DateTimeOffset.UnixEpoch)).ToList();
            var moved = (await Archive.ConversationsToSyncAsync(lease.PageId, lease.Platform, listed, cancellationToken)).ToDictionary(c => c.Id);
            var changed = page.Data.Where(conversation => moved.ContainsKey(conversation.Id)).DistinctBy(conversation => conversation.Id).ToList();
            await Archive.UpsertConversationsAsync([.. changed.Select(conversation => ArchivedConversation.FromGraph(conversation, lease.PageId, lease.Platform))],
                cancellationToken);
            var messagesOf = changed.ToDictionary(conversation => conversation.Id, MessagesOf);
            await Archive.UpsertMessagesAsync([.. messagesOf.Values.SelectMany(list => list)], cancellationToken);
            long messages = 0;
            foreach (var conversation in changed)
            {
                var count = messagesOf[conversation.Id].Count;
                await Archive.MarkConversationSyncedAsync(lease, moved[conversation.Id], count, cancellationToken);
                messages += count;
            }
            var unchanged = listed.Count - changed.Count;
            await Archive.SaveSyncProgressAsync(lease, new InboxSyncProgress(page.Paging?.Cursors?.After, listed.Count, unchanged, _uncountedCalls), cancellationToken);
            _uncountedCalls = 0;
            Report(_status with
            {
                ConversationsListed = _status.ConversationsListed + listed.Count,
                ConversationsArchived = _status.ConversationsArchived + changed.Count,
                ConversationsUnchanged = _status.ConversationsUnchanged + unchanged,
                MessagesArchived = _status.MessagesArchived + messages,
            });
            return unchangedBefore is { } before && listed.Any(conversation => !moved.ContainsKey(conversation.Id) && conversation.UpdatedTime < before);
        }

        private List<ArchivedMessage> MessagesOf(Conversation conversation)
            => [.. (conversation.Messages?.Data ?? []).Where(message => message.CreatedTime is not null)
                .Select(message => ArchivedMessages.FromGraph(message, conversation.Id, lease.PageId, lease.Platform, MessageSources.GraphRead, MessageListFields))];

        private async Task TryFailAsync(string message, CancellationToken stopping)
        {
            try
            {
                await Archive.FailSyncAsync(lease, message, stopping);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The lease expires in its time; the checkpoint then reads as interrupted, and resumes like one.
                Log.FailureNotRecorded(runner._logger, lease.Platform, lease.PageId, error.GetType().Name);
            }
        }

        private InboxSyncStatus Report(InboxSyncStatus status)
        {
            _status = status;
            report(status);
            return status;
        }

        private TimeSpan RetryDelay(int failures)
            => TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, _options.RetryDelay.Ticks * (1L << Math.Min(failures - 1, 30))));

        private static bool IsOutage(Exception error)
            => error is GraphApiException { IsTransient: true } or Polly.ExecutionRejectedException or HttpRequestException;

        private static string Outage(Exception error) => error switch
        {
            GraphApiException graph => $"HTTP {graph.HttpStatus}, code {graph.Code}",
            Polly.Timeout.TimeoutRejectedException => "the call timed out",
            Polly.ExecutionRejectedException => "calls to the Graph API are suspended after repeated failures",
            _ => "the connection failed",
        };

        /// <summary>Meta's refusal in the gateway's words: Meta's own message is left out, so nothing it echoes is stored.</summary>
        private string Refusal(GraphApiException error) => error switch
        {
            { IsAuth: true } or { IsTokenMissing: true } =>
                $"Meta refused the access token (code {error.Code}): it expired, was revoked or lost access to Page {lease.PageId}. Start the sync again with a valid token; it resumes from where it stopped.",
            { IsPermission: true } =>
                $"The access token may not read Page {lease.PageId}'s {lease.Platform} conversations (code {error.Code}): it needs the pages_messaging permission (instagram_manage_messages on Instagram). Start the sync again with a token that has it; it resumes from where it stopped.",
            { IsNotFound: true } => $"Meta does not know Page {lease.PageId} (code {error.Code}).",
            _ => $"Meta refused the conversations listing (code {error.Code}{(error.Subcode is { } subcode ? $", subcode {subcode}" : "")}, trace {error.FbTraceId ?? "none"}).",
        };
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Inbox sync of {Platform} for Page {PageId} started (resuming: {Resuming}).")]
        public static partial void Started(ILogger logger, Platform platform, string pageId, bool resuming);

        [LoggerMessage(Level = LogLevel.Information, Message = "Inbox sync of {Platform} for Page {PageId} completed: {Archived} conversations archived, {Unchanged} unchanged, {Calls} calls.")]
        public static partial void Completed(ILogger logger, Platform platform, string pageId, int archived, int unchanged, long calls);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox sync of {Platform} for Page {PageId} failed: {Reason}")]
        public static partial void Failed(ILogger logger, Platform platform, string pageId, string reason, Exception? error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox sync of {Platform} for Page {PageId} lost its lease to another run; this one stops.")]
        public static partial void LeaseLost(ILogger logger, Platform platform, string pageId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox sync of {Platform} for Page {PageId} could not renew its lease: {Error}.")]
        public static partial void RenewalFailed(ILogger logger, Platform platform, string pageId, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox sync of {Platform} for Page {PageId} could not record its failure: {Error}.")]
        public static partial void FailureNotRecorded(ILogger logger, Platform platform, string pageId, string error);
    }
}
