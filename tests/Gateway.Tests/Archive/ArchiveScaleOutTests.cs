using Gateway.Redis;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;
using MetaGraph.Emulator.Data;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using static Gateway.Tests.Archive.ArchiveGateways;

namespace Gateway.Tests.Archive;

/// <summary>Two instances on one PostgreSQL and one Redis: the archive consumes the spine once per cluster, so every message
/// Meta posts to either instance (and again to the other, as Meta redelivers) is one row; and an instance killed while the
/// events stream in (its own process, no graceful shutdown) loses none: what it had read and not written stays pending in
/// the consumer group and is taken over.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class ArchiveScaleOutTests
{
    private const int Messages = 1_000;
    private const int PerDelivery = 50;

    [Fact]
    public async Task A_thousand_webhook_events_posted_to_two_instances_with_duplicates_are_one_row_each_even_when_one_is_killed_mid_stream()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await postgres.CreateDatabaseAsync("archive");
        var archive = postgres.ConnectionString("archive");
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        var settings = Settings(emulator, archive, ("ConnectionStrings:Redis", redis.ConnectionString), ("Meta:UseEmulator", "false"),
            ("Meta:GraphApiBaseUrl", emulator.BaseAddress.ToString().TrimEnd('/')));
        await using var b = await GatewayHost.StartAsync(sharedEmulator: emulator, settings: settings);
        await using var a = await GatewayProcess.StartAsync(new Dictionary<string, string?>(GatewayProcess.Environment(settings)) { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        var deliveries = Deliveries(emulator);
        var half = deliveries.Count / 2;

        // Each delivery to one instance, then again to the other (Meta's redelivery); the first half alternates instances.
        for (var index = 0; index < half; index++)
        {
            var (first, again) = index % 2 == 0 ? (a.Http, b.Client) : (b.Client, a.Http);
            await PostAsync(first, deliveries[index]);
            await PostAsync(again, deliveries[index]);
        }
        await Eventually.TrueAsync(async () => await PublishedAsync(b) >= half * PerDelivery, TimeSpan.FromSeconds(60),
            "the first half to be published to Redis");
        await a.DisposeAsync();
        foreach (var delivery in deliveries.Skip(half))
        {
            await PostAsync(b.Client, delivery);
        }
        await using var restarted = await GatewayProcess.StartAsync(new Dictionary<string, string?>(GatewayProcess.Environment(settings)) { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        foreach (var delivery in deliveries.Skip(half).Take(4))
        {
            await PostAsync(restarted.Http, delivery);
        }
        var store = Open(archive);
        var ids = Enumerable.Range(0, Messages).Select(Mid).ToList();
        await Eventually.TrueAsync(async () => (await store.GetMessagesAsync(ids)).Count == Messages, TimeSpan.FromSeconds(120),
            "every message to be archived (a killed instance's pending batch is taken over after 30 s)");

        var archived = await store.GetMessagesAsync(ids);
        Assert.Equal(ids, archived.Keys.Order(StringComparer.Ordinal));
        Assert.All(ids, id => Assert.Equal("text of " + id, archived[id].Message.Text));
        Assert.Equal(Messages, await CountRowsAsync(store, emulator));
    }

    /// <summary>1,000 messages from ten seeded people of the first Page, <see cref="PerDelivery"/> to a delivery.</summary>
    private static List<byte[]> Deliveries(EmulatorServer emulator)
    {
        var page = emulator.Seed[0].PageId;
        var people = emulator.Data.Pages[0].Folder(InboxPlatform.Messenger).Take(10).Select(conversation => conversation.Customer.Id).ToList();
        return [.. Enumerable.Range(0, Messages).Chunk(PerDelivery).Select(chunk => MetaWebhooks.Delivery(page, [.. chunk.Select(index =>
            MetaWebhooks.Message(page, people[index % people.Count], Mid(index), "text of " + Mid(index), 1_800_000_000_000L + index))]))];
    }

    private static string Mid(int index) => $"m_scale_{index:D4}";

    private static async Task PostAsync(HttpClient gateway, byte[] delivery)
    {
        using var response = await gateway.PostWebhookAsync(delivery);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Events in the stream of all events, which the archive's consumer group reads.</summary>
    private static async Task<long> PublishedAsync(GatewayHost host)
        => await host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase()
            .StreamLengthAsync(host.Services.GetRequiredService<RedisKeys>().AllInboxEvents);

    /// <summary>The rows the archive holds in the ten people's conversations, whatever their ids.</summary>
    private static async Task<int> CountRowsAsync(Gateway.Archive.MessageArchive store, EmulatorServer emulator)
    {
        var rows = 0;
        foreach (var conversation in emulator.Data.Pages[0].Folder(InboxPlatform.Messenger).Take(10))
        {
            rows += await store.CountMessagesAsync(conversation.Id);
        }
        return rows;
    }
}
