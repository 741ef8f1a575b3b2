using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Archive;
using Gateway.Tests.Archive;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;
using MetaGraph.Emulator.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static Gateway.Tests.InboxSync.ArchiveGateway;

namespace Gateway.Tests.InboxSync;

/// <summary><c>startInboxSync</c>, <c>inboxSync</c> and <c>inboxSyncProgress</c> over GraphQL on HTTP and WebSocket against
/// the emulator: what a sync writes and what it calls, who may start it, and what Meta's errors do to it.</summary>
public sealed class InboxSyncApiTests : IDisposable
{
    private const string ApiKey = "ops-key-0123456789abcdef";
    private static readonly string SigningKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("inbox-sync-");

    /// <summary>Messages a sync archives of a conversation: Meta gives the details of the 20 most recent.</summary>
    private static int Archived(ConversationData conversation) => Math.Min(20, conversation.MessageCount);

    private static IEnumerable<RecordedRequest> Listings(GatewayHost host)
        => host.UpstreamCalls.Where(call => call.Path.EndsWith("/conversations", StringComparison.Ordinal));

    [Fact]
    public async Task A_forwarded_page_token_syncs_every_conversation_with_one_call_per_listing_page_and_stores_no_token()
    {
        var archive = SqliteArchive(_folder);
        await using var host = await ArchiveGateway.StartAsync(archive, new EmulatorOptions { ConversationsPerPlatform = 60 });
        var page = host.Emulator.Data.Pages[0];
        var inbox = page.Folder(InboxPlatform.Messenger);

        var started = await host.StartSyncAsync(page.PageId);
        var done = await host.WaitForSyncAsync(page.PageId, InState("COMPLETED"));

        Assert.Equal("RUNNING", started.At("data.startInboxSync.inboxSync.state")!.GetValue<string>());
        Assert.Null(started.At("data.startInboxSync.errors"));
        Assert.Equal((inbox.Count, inbox.Count, inbox.Count, 0), (done.Int("conversationsDone"), done.Int("conversationsTotal"), done.Int("conversationsArchived"), done.Int("conversationsUnchanged")));
        Assert.Equal(inbox.Sum(Archived), done.Int("messagesArchived"));
        Assert.Equal(3, done.Int("callsUsed"));
        Assert.Equal(3, Listings(host).Count());
        Assert.All(Listings(host), call => Assert.Contains("messages.limit(20)", call.Fields()));
        var store = host.Services.GetRequiredService<MessageArchive>();
        foreach (var conversation in inbox)
        {
            Assert.Equal(Archived(conversation), await store.CountMessagesAsync(conversation.Id));
        }
        var newest = (await store.GetMessagesAsync([inbox[0].Messages[0].Id])).Values.Single().Message;
        Assert.Equal((inbox[0].Messages[0].Text, MessageSources.GraphRead), (newest.Text, newest.Sources));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(_folder.FullName).Select(File.ReadAllBytes).Select(Encoding.UTF8.GetString);
        Assert.DoesNotContain(files, content => content.Contains(host.Page.AccessToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_sync_reads_only_what_moved_since_the_first_and_a_search_finds_the_new_message()
    {
        await using var host = await ArchiveGateway.StartAsync(SqliteArchive(_folder), new EmulatorOptions { ConversationsPerPlatform = 60 });
        var page = host.Page.PageId;
        await host.StartSyncAsync(page);
        await host.WaitForSyncAsync(page, InState("COMPLETED"));
        var moved = host.Emulator.Data.Pages[0].Folder(InboxPlatform.Messenger)[30];
        await host.MakePersonWriteAsync(new { pageId = page, platform = "messenger", userId = moved.Customer.Id, text = "Has my parcel LX123 left the warehouse?" });
        host.Emulator.ResetRequests();

        await host.StartSyncAsync(page);
        var second = await host.WaitForSyncAsync(page, InState("COMPLETED"));
        var search = await host.QueryAsync(ArchiveGateway.Search, new { page, query = "lx123 warehouse" });

        Assert.Equal((1, Math.Min(20, moved.MessageCount + 1)), (second.Int("conversationsArchived"), second.Int("messagesArchived")));
        Assert.Equal(1, second.Int("callsUsed"));
        Assert.Single(Listings(host));
        Assert.Equal("Has my parcel «LX123» left the «warehouse»?", search.At("data.page.searchMessages.edges.0.snippet")!.GetValue<string>());
    }

    [Fact]
    public async Task An_api_key_or_jwt_needs_the_pages_send_permission_to_start_a_sync()
    {
        await using var host = await ArchiveGateway.StartAsync(SqliteArchive(_folder), configurePages: true, settings: new Dictionary<string, string?>
        {
            ["Gateway:Auth:Required"] = "true",
            ["Gateway:Auth:ApiKeys:reader:Key"] = "reader-" + ApiKey,
            ["Gateway:Auth:ApiKeys:reader:Pages:0"] = "104000000000001",
            ["Gateway:Auth:ApiKeys:ops:Key"] = ApiKey,
            ["Gateway:Auth:ApiKeys:ops:Pages:0"] = "104000000000001",
            ["Gateway:Auth:ApiKeys:ops:SendPages:0"] = "104000000000001",
            ["Gateway:Auth:Jwt:SigningKey"] = SigningKey,
        });
        var start = new { page = "104000000000001", platform = "MESSENGER" };
        var jwt = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", "ops-console"), new Claim("pages", "104000000000001"), new Claim("scope", "send:104000000000001")]),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(SigningKey)), SecurityAlgorithms.HmacSha256),
        });

        var reader = await host.SendAsync(StartSync, start, request => request.Headers.Add("X-Api-Key", "reader-" + ApiKey));
        var status = await host.SendAsync(SyncStatus, start, request => request.Headers.Add("X-Api-Key", "reader-" + ApiKey));
        Assert.Empty(host.Emulator.Requests);
        var ops = await host.SendAsync(StartSync, start, request => request.Headers.Add("X-Api-Key", ApiKey));
        var byJwt = await host.SendAsync(StartSync, start, request => request.Headers.Authorization = new("Bearer", jwt));

        Assert.Equal("FORBIDDEN", reader.At("data.startInboxSync.errors.0.code")!.GetValue<string>());
        Assert.StartsWith("This caller may not send as Page 104000000000001", reader.At("data.startInboxSync.errors.0.message")!.GetValue<string>());
        Assert.Null(status.At("data.inboxSync"));
        Assert.Null(status["errors"]);
        Assert.Null(ops.At("data.startInboxSync.errors"));
        Assert.Null(byJwt.At("data.startInboxSync.errors"));
        Assert.NotNull(byJwt.At("data.startInboxSync.inboxSync.state"));
    }

    [Fact]
    public async Task A_forwarded_token_starts_only_its_own_pages_sync()
    {
        await using var host = await ArchiveGateway.StartAsync(SqliteArchive(_folder));
        var (own, other) = (host.Emulator.Seed[0], host.Emulator.Seed[1]);

        var refused = await host.StartSyncAsync(other.PageId, token: own.AccessToken);
        var bad = await host.StartSyncAsync(own.PageId, token: "EAAnotAToken");

        Assert.Equal("META_PERMISSION_DENIED", refused.At("data.startInboxSync.errors.0.code")!.GetValue<string>());
        Assert.Equal("META_TOKEN_INVALID", bad.At("data.startInboxSync.errors.0.code")!.GetValue<string>());
        Assert.Empty(Listings(host));
    }

    [Fact]
    public async Task A_token_meta_refuses_fails_the_sync_with_an_error_holding_no_token_and_writes_nothing()
    {
        const string revoked = "EAARevokedPageTokenOfTheFirstPage0123456789";
        await using var host = await ArchiveGateway.StartAsync(SqliteArchive(_folder), settings: new Dictionary<string, string?>
        {
            ["Meta:Pages:104000000000001:AccessToken"] = revoked,
        });

        var started = await host.SendAsync(StartSync, new { page = "104000000000001", platform = "MESSENGER" }, authenticate: null);
        var failed = await host.WaitForSyncAsync("104000000000001", InState("FAILED"));

        Assert.Null(started.At("data.startInboxSync.errors"));
        var error = failed["lastError"]!.GetValue<string>();
        Assert.Contains("Meta refused the access token (code 190)", error);
        Assert.DoesNotContain(revoked, error);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(revoked, StringComparison.Ordinal));
        Assert.Equal((0, 0), (failed.Int("conversationsArchived"), failed.Int("messagesArchived")));
        Assert.Empty((await host.Services.GetRequiredService<MessageArchive>().SearchAsync(new MessageSearchRequest("order", ["104000000000001"]))).Edges);
    }

    [Fact]
    public async Task While_meta_is_unavailable_the_sync_pauses_and_then_goes_on_where_it_was()
    {
        await using var host = await ArchiveGateway.StartAsync(SqliteArchive(_folder), new EmulatorOptions { ConversationsPerPlatform = 60 }, new Dictionary<string, string?>
        {
            ["InboxSync:ConversationsPerCall"] = "20",
            ["InboxSync:RetryDelay"] = "00:00:00.100",
            ["InboxSync:MaxRetryDelay"] = "00:00:00.500",
            ["InboxSync:MaxAttempts"] = "1000",
        });
        var page = host.Page.PageId;
        // The gateway learns the token's Page (GET /me) while Meta still answers.
        await host.QueryAsync(SyncStatus, new { page, platform = "MESSENGER" });
        host.Emulator.Configure(new EmulatorRuntimeConfig(FaultRate: 1.0));

        await host.StartSyncAsync(page);
        var paused = await host.WaitForSyncAsync(page, InState("PAUSED"));
        host.Emulator.Configure(new EmulatorRuntimeConfig(FaultRate: 0));
        var done = await host.WaitForSyncAsync(page, InState("COMPLETED"));

        Assert.StartsWith("Meta is unavailable (", paused["lastError"]!.GetValue<string>());
        Assert.Equal(0, paused.Int("conversationsDone"));
        Assert.Equal(60, done.Int("conversationsArchived"));
        Assert.Null(done["lastError"]);
        Assert.True(done.Int("callsUsed") > 3, "the calls that failed count too");
    }

    [Fact]
    public async Task A_rate_limit_refusal_pauses_the_sync_until_meta_lets_the_page_call_again_and_it_then_completes()
    {
        await using var host = await ArchiveGateway.StartAsync(SqliteArchive(_folder), new EmulatorOptions { ConversationsPerPlatform = 60 },
            new Dictionary<string, string?> { ["InboxSync:ConversationsPerCall"] = "30" });
        var page = host.Page.PageId;
        // The gateway learns the token's Page (GET /me) first. Then Meta allows the Page one call a second, and another app
        // spends it, so a call of the sync is refused with Meta's estimated_time_to_regain_access (a minute).
        await host.QueryAsync(SyncStatus, new { page, platform = "MESSENGER" });
        host.Emulator.Configure(new EmulatorRuntimeConfig(RateLimitPerSecond: 1));
        using var otherApp = new CancellationTokenSource();
        var spending = SpendAllowanceAsync(host, otherApp.Token);

        await host.StartSyncAsync(page);
        var paused = await host.WaitForSyncAsync(page, InState("PAUSED"));
        await otherApp.CancelAsync();
        await spending;
        var done = await host.WaitForSyncAsync(page, InState("COMPLETED"), seconds: 150);

        Assert.Equal("Meta's rate limit for this Page was reached (code 80006): the sync goes on when the Page may call again.", paused["lastError"]!.GetValue<string>());
        Assert.Equal((60, 60, 3), (done.Int("conversationsDone"), done.Int("conversationsArchived"), done.Int("callsUsed")));
        Assert.Null(done["lastError"]);
        // The refused page is asked again once Meta said the Page may call, not before: no call in between.
        var listings = Listings(host).Where(call => call.Fields()?.Contains("messages.limit(20)") == true).OrderBy(call => call.At).ToList();
        Assert.Equal(3, listings.Count);
        Assert.Single(listings.Zip(listings.Skip(1)), pair => pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(59));
    }

    /// <summary>Another app reading the Page's conversations with its token, every 50 ms, until stopped.</summary>
    private static async Task SpendAllowanceAsync(GatewayHost host, CancellationToken stop)
    {
        using var graph = new HttpClient { BaseAddress = host.Emulator.BaseAddress };
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            do
            {
                using var _ = await graph.GetAsync($"v25.0/{host.Page.PageId}/conversations?platform=messenger&limit=1&access_token={host.Page.AccessToken}", stop);
            }
            while (await pace.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    [Fact]
    public async Task Progress_is_delivered_over_a_subscription_until_the_sync_completes()
    {
        await using var host = await ArchiveGateway.StartAsync(SqliteArchive(_folder), new EmulatorOptions { ConversationsPerPlatform = 60 });
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(host, new { Authorization = $"Bearer {host.Page.AccessToken}" });
        await client.SubscribeAsync("progress", """
            subscription($page: ID!) { inboxSyncProgress(pageId: $page, platform: MESSENGER) { state conversationsDone conversationsTotal callsUsed } }
            """, new { page = host.Page.PageId });

        await host.StartSyncAsync(host.Page.PageId);
        var events = new List<JsonNode>();
        JsonObject? message;
        while ((message = await client.ReceiveAsync()) is not null && message["type"]!.GetValue<string>() == "next")
        {
            Assert.Null(message.At("payload.errors"));
            events.Add(message.At("payload.data.inboxSyncProgress")!);
        }

        Assert.Equal("complete", message?["type"]?.GetValue<string>());
        Assert.Equal(("COMPLETED", 60), (events[^1]["state"]!.GetValue<string>(), events[^1].Int("conversationsTotal")));
        var done = events.Select(e => e.Int("conversationsDone")).ToList();
        Assert.Equal(done.Order(), done);
        Assert.All(events.SkipLast(1), e => Assert.Equal("RUNNING", e["state"]!.GetValue<string>()));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}

/// <summary>Two gateways on one archive: one sync per Page at a time, whichever instance is asked.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class InboxSyncLeaseTests(PostgresArchiveDatabases databases) : IClassFixture<PostgresArchiveDatabases>
{
    [Fact]
    public async Task Two_gateways_asked_at_once_run_one_sync_and_read_each_listing_page_once()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { ConversationsPerPlatform = 120, LatencyMs = 200 });
        var archive = await databases.CreateMigratedAsync();
        await using var first = await ArchiveGateway.StartAsync(archive, sharedEmulator: emulator);
        await using var second = await ArchiveGateway.StartAsync(archive, sharedEmulator: emulator);
        var page = emulator.Seed[0].PageId;
        // Both ready (schema built, the token's Page known), so that the four starts race for the lease, not for start-up.
        await Task.WhenAll(first.QueryAsync(SyncStatus, new { page, platform = "MESSENGER" }), second.QueryAsync(SyncStatus, new { page, platform = "MESSENGER" }));
        emulator.ResetRequests();

        var answers = await Task.WhenAll(first.StartSyncAsync(page), second.StartSyncAsync(page), first.StartSyncAsync(page), second.StartSyncAsync(page));
        var done = await first.WaitForSyncAsync(page, InState("COMPLETED"));

        Assert.All(answers, answer => Assert.Equal("RUNNING", answer.At("data.startInboxSync.inboxSync.state")!.GetValue<string>()));
        var listings = emulator.Requests.Where(call => call.Path.EndsWith("/conversations", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, listings.Count);
        Assert.Equal(listings.Count, listings.Select(call => call.Query).Distinct().Count());
        Assert.Equal((120, 5), (done.Int("conversationsArchived"), done.Int("callsUsed")));
    }
}
