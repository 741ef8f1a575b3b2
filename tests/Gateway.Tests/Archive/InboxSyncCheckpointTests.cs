using Gateway.Tests.Infrastructure;
using Gateway.Archive;
using MetaGraph;
using static Gateway.Tests.Archive.ArchiveTestData;

namespace Gateway.Tests.Archive;

/// <summary>Inbox sync checkpoints and the lease that lets one run at a time sync a Page's platform, across instances
/// sharing the database.</summary>
public abstract class InboxSyncCheckpointTests(IArchiveDatabases databases) : ArchiveTests(databases)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Of_instances_claiming_one_page_at_once_exactly_one_wins_and_other_pages_stay_free()
    {
        var (a, b) = await InstancesAsync();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(index =>
            Task.Run(() => (index % 2 == 0 ? a : b).TryClaimSyncAsync(PageId, Platform.Messenger, Lease))));

        Assert.Single(claims, claim => claim is not null);
        Assert.NotNull(await b.TryClaimSyncAsync(PageId, Platform.Instagram, Lease));
        Assert.NotNull(await b.TryClaimSyncAsync("page_2", Platform.Messenger, Lease));
    }

    [Fact]
    public async Task A_lease_renewed_while_running_holds_and_an_expired_one_is_taken_over_and_its_writes_refused()
    {
        var (a, b) = await InstancesAsync();
        var first = (await a.TryClaimSyncAsync(PageId, Platform.Messenger, Lease))!;

        Clock.Advance(TimeSpan.FromMinutes(1.5));
        await a.RenewSyncLeaseAsync(first);
        Clock.Advance(TimeSpan.FromMinutes(1.5));
        Assert.Null(await b.TryClaimSyncAsync(PageId, Platform.Messenger, Lease));

        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await b.TryClaimSyncAsync(PageId, Platform.Messenger, Lease);

        Assert.NotNull(second);
        await Assert.ThrowsAsync<InboxSyncLeaseLostException>(() => a.SaveSyncProgressAsync(first, new InboxSyncProgress("cursor")));
        await Assert.ThrowsAsync<InboxSyncLeaseLostException>(() => a.CompleteSyncAsync(first));
        await b.CompleteSyncAsync(second);
    }

    [Fact]
    public async Task A_failed_run_is_resumed_from_its_checkpoint_and_a_completed_one_starts_afresh()
    {
        var (a, b) = await InstancesAsync();
        var run = (await a.TryClaimSyncAsync(PageId, Platform.Messenger, Lease))!;
        await a.SaveSyncProgressAsync(run, new InboxSyncProgress("after_page_1", ConversationsListed: 25, ConversationsUnchanged: 5, CallsUsed: 3));
        await a.MarkConversationSyncedAsync(run, new ListedConversation("t_1", Start), messagesArchived: 40);
        await a.FailSyncAsync(run, "Graph answered 613: rate limited");

        var failed = await b.GetSyncCheckpointAsync(PageId, Platform.Messenger);
        Assert.Equal((InboxSyncState.Failed, "Graph answered 613: rate limited", null), (failed!.State, failed.LastError, failed.LeaseExpiresAt));

        Clock.Advance(TimeSpan.FromMinutes(10));
        var resumed = (await b.TryClaimSyncAsync(PageId, Platform.Messenger, Lease))!;
        Assert.Equal(failed with { State = InboxSyncState.Running, LastError = null, FinishedAt = null, LeaseExpiresAt = Start.AddMinutes(12) },
            resumed.Checkpoint);
        Assert.Equal(("after_page_1", 25, 1, 5, 40L, 3L, Start), (resumed.Checkpoint.ListingCursor, resumed.Checkpoint.ConversationsListed,
            resumed.Checkpoint.ConversationsSynced, resumed.Checkpoint.ConversationsUnchanged, resumed.Checkpoint.MessagesArchived,
            resumed.Checkpoint.CallsUsed, resumed.Checkpoint.StartedAt));

        await b.SaveSyncProgressAsync(resumed, new InboxSyncProgress(null, ConversationsListed: 3));
        await b.CompleteSyncAsync(resumed);
        var completed = await a.GetSyncCheckpointAsync(PageId, Platform.Messenger);
        Assert.Equal((InboxSyncState.Completed, null, 28, Start.AddMinutes(10)), (completed!.State, completed.ListingCursor, completed.ConversationsListed, completed.FinishedAt));

        Clock.Advance(TimeSpan.FromHours(1));
        var next = (await a.TryClaimSyncAsync(PageId, Platform.Messenger, Lease))!;
        Assert.Equal((null, 0, 0, 0L, Start.AddMinutes(70)), (next.Checkpoint.ListingCursor, next.Checkpoint.ConversationsListed,
            next.Checkpoint.ConversationsSynced, next.Checkpoint.MessagesArchived, next.Checkpoint.StartedAt));
    }

    [Fact]
    public async Task A_second_run_reads_only_conversations_whose_updated_time_moved()
    {
        var (a, _) = await InstancesAsync();
        var run = (await a.TryClaimSyncAsync(PageId, Platform.Messenger, Lease))!;
        var listed = new[] { new ListedConversation("t_1", Start), new ListedConversation("t_2", Start), new ListedConversation("t_3", Start) };
        Assert.Equal(listed, await a.ConversationsToSyncAsync(PageId, Platform.Messenger, listed));
        foreach (var conversation in listed)
        {
            await a.MarkConversationSyncedAsync(run, conversation, messagesArchived: 1);
        }
        await a.CompleteSyncAsync(run);

        var relisted = new[] { new ListedConversation("t_1", Start), new ListedConversation("t_2", Start.AddMinutes(1)), new ListedConversation("t_4", Start) };

        Assert.Equal(["t_2", "t_4"], (await a.ConversationsToSyncAsync(PageId, Platform.Messenger, relisted)).Select(conversation => conversation.Id));
        Assert.Equal(3, (await a.ConversationsToSyncAsync(PageId, Platform.Instagram, relisted)).Count);
    }
}

public sealed class SqliteInboxSyncCheckpointTests(SqliteArchiveDatabases databases)
    : InboxSyncCheckpointTests(databases), IClassFixture<SqliteArchiveDatabases>;

[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class PostgresInboxSyncCheckpointTests(PostgresArchiveDatabases databases)
    : InboxSyncCheckpointTests(databases), IClassFixture<PostgresArchiveDatabases>;
