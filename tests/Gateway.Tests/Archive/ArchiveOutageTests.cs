using System.Net;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;
using static Gateway.Tests.Archive.ArchiveGateways;

namespace Gateway.Tests.Archive;

/// <summary>The archive's database (a real PostgreSQL server, stopped and started again) goes away while the gateway serves:
/// reads and subscriptions go on, readiness says degraded, and the webhooks received meanwhile are archived once it is back:
/// held in the instance's buffer without Redis, pending in the consumer group's stream with it.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class ArchiveOutageTests
{
    private const string Subscription = "subscription($page: ID!) { messageReceived(pageId: $page) { metaId message } }";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task While_the_database_is_down_reads_and_subscriptions_work_readiness_is_degraded_and_events_are_archived_when_it_is_back(bool redis)
    {
        await using var postgres = await PostgresServer.StartAsync();
        await postgres.CreateDatabaseAsync("archive");
        var archive = postgres.ConnectionString("archive");
        await using var redisServer = redis ? await RedisServer.StartAsync() : null;
        await using var emulator = await EmulatorServer.StartAsync();
        await using var host = await StartAsync(emulator, archive, ("ConnectionStrings:Redis", redisServer?.ConnectionString));
        var page = host.Page.PageId;
        var (conversation, person) = host.Person();
        await using var subscriber = await host.SubscribeAsync(Subscription, new { page });

        await postgres.StopAsync();
        var written = await host.MakePersonWriteAsync(Enumerable.Range(1, 3)
            .Select(index => new { pageId = page, platform = "messenger", userId = person, text = $"while the archive is away {index}" }).ToArray());
        var received = new[] { await subscriber.ReceiveDataAsync("1"), await subscriber.ReceiveDataAsync("1"), await subscriber.ReceiveDataAsync("1") };
        using var readiness = await host.Client.GetAsync("/health/ready");
        var inbox = await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = page });
        await postgres.StartAgainAsync();
        var store = Open(archive);
        var ids = written.AsArray().Select(answer => answer!["messageId"]!.GetValue<string>()).ToList();
        await Eventually.TrueAsync(async () => (await TryCountAsync(store, ids)) == 3, TimeSpan.FromSeconds(60), "the events to be archived");

        Assert.Equal(["while the archive is away 1", "while the archive is away 2", "while the archive is away 3"],
            received.Select(data => data.At("messageReceived.message")!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.OK, "Degraded"), (readiness.StatusCode, await readiness.Content.ReadAsStringAsync()));
        Assert.Null(inbox["errors"]);
        Assert.NotEmpty(inbox.At("data.page.conversations.edges")!.AsArray());
        Assert.All((await store.GetMessagesAsync(ids)).Values, stored => Assert.Equal(conversation, stored.Message.ConversationId));
    }

    /// <summary>How many of the messages the archive holds; nothing while its database has not come back yet.</summary>
    private static async Task<int> TryCountAsync(Gateway.Archive.MessageArchive store, IReadOnlyCollection<string> ids)
    {
        try
        {
            return (await store.GetMessagesAsync(ids)).Count;
        }
        catch (Exception error) when (Gateway.Archive.ArchiveDatabase.IsUnavailable(error))
        {
            return 0;
        }
    }
}
