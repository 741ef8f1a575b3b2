using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Archive;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;
using Microsoft.AspNetCore.WebUtilities;
using static Gateway.Tests.InboxSync.ArchiveGateway;

namespace Gateway.Tests.InboxSync;

/// <summary>The inbox sync in real processes over real HTTP: a large Page at Meta's allowance beside its readers, a gateway
/// killed half-way, and the <c>sync</c> command.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class InboxSyncProcessTests : IDisposable
{
    private const int Readers = 10;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("inbox-sync-process-");

    [Fact]
    public async Task A_500_conversation_page_syncs_within_its_share_beside_10_readers_and_a_killed_gateway_resumes_it_once()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { LargePageConversations = 500, RateLimitPerSecond = 2 });
        var page = emulator.Seed[^1];
        var environment = GatewayProcess.Environment(new Dictionary<string, string?>
        {
            ["Meta:UseEmulator"] = "false",
            ["Meta:GraphApiBaseUrl"] = emulator.BaseAddress.ToString().TrimEnd('/'),
            [$"Meta:Pages:{page.PageId}:AccessToken"] = page.AccessToken,
            ["ConnectionStrings:Archive"] = SqliteArchive(_folder),
            // A killed instance's sync is taken over once its lease expires: short here, so the test need not wait long.
            ["InboxSync:LeaseDuration"] = "00:00:05",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var first = await GatewayProcess.StartAsync(environment);
        var status = new { page = page.PageId, platform = "MESSENGER" };

        var baseline = await ReadInboxAsync(first, page.PageId, until: reads => reads >= 400);
        emulator.ResetRequests();
        var started = await PostAsync(first, StartSync, status);
        using var stopReading = new CancellationTokenSource();
        var duringSync = ReadInboxAsync(first, page.PageId, until: _ => false, stopReading.Token);
        await Eventually.TrueAsync(async () => (await PostAsync(first, SyncStatus, status)).At("data.inboxSync.conversationsDone")!.GetValue<int>() >= 250,
            TimeSpan.FromSeconds(120), "half of the conversations synced");
        await stopReading.CancelAsync();
        var readDuringSync = await duringSync;
        await first.DisposeAsync();
        await using var second = await GatewayProcess.StartAsync(environment);
        var done = await Eventually.ObjectAsync(async () => (await PostAsync(second, SyncStatus, status)).At("data.inboxSync") is { } sync
            && sync["state"]!.GetValue<string>() == "COMPLETED" ? sync : null, TimeSpan.FromSeconds(120), "the resumed sync to complete");

        Assert.Null(started.At("data.startInboxSync.errors"));
        Assert.Equal((500, 500, 500, 0), (done.Int("conversationsDone"), done.Int("conversationsTotal"), done.Int("conversationsArchived"), done.Int("conversationsUnchanged")));
        Assert.Null(done["lastError"]);
        var syncCalls = emulator.Requests.Where(call => call.Fields()?.Contains("messages.limit(20)") == true).OrderBy(call => call.At).ToList();
        // Each listing page once: the one in flight when the gateway was killed may be asked again, its answer never written.
        var cursors = syncCalls.Select(call => QueryHelpers.ParseQuery(call.Query).TryGetValue("after", out var after) ? after.ToString() : "").ToList();
        Assert.InRange(cursors.Count - cursors.Distinct().Count(), 0, 1);
        Assert.InRange(syncCalls.Count, 20, 21);
        // Its share: half of Meta's 2 calls a second, so never two calls within a second; with the readers' calls, never more
        // than Meta allows, so Meta refused none.
        Assert.All(syncCalls.Zip(syncCalls.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(1), $"{pair.First.At:O} then {pair.Second.At:O}"));
        var conversationCalls = emulator.Requests.Where(call => !call.IsTokenLookup()).OrderBy(call => call.At).ToList();
        Assert.All(conversationCalls.Zip(conversationCalls.Skip(2)), triple => Assert.True(triple.Second.At - triple.First.At >= TimeSpan.FromSeconds(1)));
        // The readers: every answer whole, and their usual latency (the same machine a moment before, with a generous margin).
        Assert.All(baseline.Concat(readDuringSync), read => Assert.Null(read.Error));
        Assert.True(readDuringSync.Count >= 100, $"{readDuringSync.Count} reads during the sync");
        var (usual, during) = (Median(baseline), Median(readDuringSync));
        Assert.True(during <= 3 * usual, $"median {during:0.0} ms during the sync, {usual:0.0} ms before");
    }

    [Fact]
    public async Task The_sync_command_shows_its_progress_and_exits_0_when_the_sync_completes()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions());
        var page = emulator.Seed[0];
        var archive = SqliteArchive(_folder);

        var (exitCode, output, errors) = await SyncCommandAsync(emulator, page.PageId, page.AccessToken, archive);

        Assert.True(exitCode == 0, output + errors);
        Assert.Contains($"Syncing the Instagram inbox of Page {page.PageId} into the message archive.", output);
        var messages = emulator.Data.Pages[0].Folder(MetaGraph.Emulator.Data.InboxPlatform.Instagram).Sum(c => Math.Min(20, c.MessageCount));
        Assert.Contains($"Synced the Instagram inbox of Page {page.PageId}: 24 conversations (24 archived, 0 unchanged), {messages:N0} messages, 1 Graph API calls.", output);
        var checkpoint = await new MessageArchive(ArchiveDatabase.Open(archive), TimeProvider.System).GetSyncCheckpointAsync(page.PageId, MetaGraph.Platform.Instagram);
        Assert.Equal((InboxSyncState.Completed, 24), (checkpoint!.State, checkpoint.ConversationsSynced));
    }

    /// <summary>On a fresh clone, with nothing configured: the demo's Pages, from an emulator of the command's own, into the
    /// demo's archive (in the user's data folder, here a temporary one).</summary>
    [Fact]
    public async Task The_sync_command_on_a_fresh_clone_syncs_a_demo_page_from_an_embedded_emulator()
    {
        string demoPage;
        // The demo's emulator runs with the default options: the same Pages.
        await using (var emulator = await EmulatorServer.StartAsync(new EmulatorOptions()))
        {
            demoPage = emulator.Seed[0].PageId;
        }

        var (exitCode, output, errors) = await GatewayProcess.RunCommandAsync(["sync", "--page", demoPage, "--platform", "instagram"],
            new Dictionary<string, string?> { ["XDG_DATA_HOME"] = _folder.FullName }, TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, output + errors);
        Assert.Contains($"Synced the Instagram inbox of Page {demoPage}: 24 conversations (24 archived, 0 unchanged)", output);
        Assert.True(File.Exists(Path.Combine(_folder.FullName, "meta-graph-gateway", "demo-archive.db")));
    }

    [Fact]
    public async Task The_sync_command_exits_1_and_says_why_when_meta_refuses_the_token()
    {
        const string revoked = "EAARevokedPageTokenOfTheFirstPage0123456789";
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions());

        var (exitCode, output, errors) = await SyncCommandAsync(emulator, emulator.Seed[0].PageId, revoked, SqliteArchive(_folder));

        Assert.Equal(1, exitCode);
        Assert.Contains("The sync did not complete (Failed): Meta refused the access token (code 190)", errors);
        Assert.DoesNotContain(revoked, output + errors);
    }

    private static Task<(int ExitCode, string Output, string Errors)> SyncCommandAsync(EmulatorServer emulator, string pageId, string token, string archive)
        => GatewayProcess.RunCommandAsync(["sync", "--page", pageId, "--platform", "instagram"], GatewayProcess.Environment(new Dictionary<string, string?>
        {
            ["Meta:UseEmulator"] = "false",
            ["Meta:GraphApiBaseUrl"] = emulator.BaseAddress.ToString().TrimEnd('/'),
            [$"Meta:Pages:{pageId}:AccessToken"] = token,
            ["ConnectionStrings:Archive"] = archive,
        }), TimeSpan.FromMinutes(2));

    private sealed record Read(double Milliseconds, string? Error);

    /// <summary><see cref="Readers"/> support agents reading the Page's inbox (the shipped inbox operation), each every 100 ms,
    /// until <paramref name="until"/> holds for the reads so far or the returned task is stopped.</summary>
    private static async Task<List<Read>> ReadInboxAsync(GatewayProcess gateway, string pageId, Func<int, bool> until, CancellationToken stop = default)
    {
        var reads = new List<Read>();
        var inbox = GatewayHost.Operation("inbox");
        await Task.WhenAll(Enumerable.Range(0, Readers).Select(async _ =>
        {
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            while (!stop.IsCancellationRequested && !until(Count(reads)))
            {
                var clock = Stopwatch.StartNew();
                var answer = await PostAsync(gateway, inbox, new { pageId });
                var error = answer["errors"]?.ToJsonString() ?? (answer.At("data.page.conversations.edges.0.node.id") is null ? "no conversations" : null);
                lock (reads)
                {
                    reads.Add(new Read(clock.Elapsed.TotalMilliseconds, error));
                }
                try
                {
                    await pace.WaitForNextTickAsync(stop);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }));
        return reads;
    }

    private static int Count(List<Read> reads)
    {
        lock (reads)
        {
            return reads.Count;
        }
    }

    private static async Task<JsonObject> PostAsync(GatewayProcess gateway, string query, object variables)
    {
        using var response = await gateway.Http.PostAsJsonAsync("graphql", new { query, variables });
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static double Median(List<Read> reads) => reads.Select(read => read.Milliseconds).Order().ElementAt(reads.Count / 2);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
