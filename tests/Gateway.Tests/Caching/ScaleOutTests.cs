using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Gateway.Caching;
using Gateway.Telemetry;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Sending;
using MetaGraph.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Xunit.Abstractions;

namespace Gateway.Tests.Caching;

/// <summary>Two gateway instances, one real Redis, one emulator: what one instance fetched, the other serves; what one
/// invalidates, both drop; together they stay under the Page's allowance; without Redis each carries on alone.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_read_on_one_instance_fills_the_cache_of_the_other()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        await using var a = await Instance(emulator, redis);
        await using var b = await Instance(emulator, redis);
        var inbox = GatewayHost.Operation("inbox");

        var onA = await a.QueryAsync(inbox, new { pageId = a.Page.PageId });
        var callsAfterA = a.UpstreamCalls.Count;
        var onB = await b.QueryAsync(inbox, new { pageId = b.Page.PageId });

        Assert.Null(onB["errors"]);
        Assert.Equal(onA["data"]!.Compact(), onB["data"]!.Compact());
        Assert.Equal(1, callsAfterA);
        Assert.Single(b.UpstreamCalls);
    }

    [Fact]
    public async Task An_invalidation_on_one_instance_reaches_the_other()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        await using var a = await Instance(emulator, redis);
        await using var b = await Instance(emulator, redis);
        var inbox = GatewayHost.Operation("inbox");
        await a.QueryAsync(inbox, new { pageId = a.Page.PageId });
        await b.QueryAsync(inbox, new { pageId = b.Page.PageId });
        emulator.ResetRequests();

        await a.Services.GetRequiredService<GraphResultCache>().ConversationChangedAsync(a.Page.PageId, emulator.Data.Pages[0].Conversations[0].Id);
        await WaitUntilAsync(async () =>
        {
            await b.QueryAsync(inbox, new { pageId = b.Page.PageId });
            return b.UpstreamCalls.Count > 0;
        });

        Assert.Single(b.UpstreamCalls);
    }

    /// <summary>A reply sent through one instance: the other, which kept the thread's result, answers with the reply next
    /// (the sending instance puts the message's echo on the spine; Meta's own echo is then a duplicate).</summary>
    [Fact]
    public async Task A_reply_sent_through_one_instance_replaces_the_result_the_other_kept()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        await using var a = await Sends.StartWithWebhooksAsync(emulator, settings: ("ConnectionStrings:Redis", redis.ConnectionString));
        // Answers that outlive the test: only an invalidation can replace what B kept.
        await using var b = await Instance(emulator, redis, new Dictionary<string, string?> { ["Gateway:Cache:ListingLifetime"] = "00:10:00" });
        var written = await a.PersonWritesAsync();
        const string thread = "query($id: ID!) { conversation(id: $id) { messages(first: 1) { nodes { message } } } }";
        using var lookups = new MetricCollector<long>(b.Services.GetRequiredService<IMeterFactory>(), GatewayMetrics.MeterName, "gateway.response_cache.lookups");
        string? Newest(JsonObject answer) => answer.At("data.conversation.messages.nodes.0.message")?.GetValue<string>();
        await b.QueryAsync(thread, new { id = written.ConversationId });
        var kept = await b.QueryAsync(thread, new { id = written.ConversationId });

        (await a.SendAsync(new { conversationId = written.ConversationId, text = "Sent through A." })).Payload();
        await WaitUntilAsync(async () => Newest(await b.QueryAsync(thread, new { id = written.ConversationId })) == "Sent through A.");

        Assert.Equal("Is my order on its way?", Newest(kept));
        Assert.Equal(["miss", "hit"], lookups.GetMeasurementSnapshot().Take(2).Select(measurement => (string)measurement.Tags["outcome"]!));
    }

    /// <summary>Page A's answers, cached in both levels by a read on A, are never served to a token of Page B, on A or on B.</summary>
    [Fact]
    public async Task A_token_of_another_page_never_gets_a_cached_answer_on_either_instance()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        await using var a = await Instance(emulator, redis);
        await using var b = await Instance(emulator, redis);
        var otherPage = emulator.Seed[1];
        var inbox = GatewayHost.Operation("inbox");
        const string thread = """query($id: ID!) { conversation(id: $id) { id messages(first: 2) { nodes { id message } } } }""";
        var conversation = emulator.Data.Pages[0].Conversations[0].Id;
        var cachedInbox = await a.QueryAsync(inbox, new { pageId = a.Page.PageId });
        var cachedThread = await a.QueryAsync(thread, new { id = conversation });
        var servedFromCacheOnB = await b.QueryAsync(inbox, new { pageId = a.Page.PageId });

        var refused = new[]
        {
            await a.QueryAsync(inbox, new { pageId = a.Page.PageId }, otherPage.AccessToken),
            await b.QueryAsync(inbox, new { pageId = a.Page.PageId }, otherPage.AccessToken),
            await a.QueryAsync(thread, new { id = conversation }, otherPage.AccessToken),
            await b.QueryAsync(thread, new { id = conversation }, otherPage.AccessToken),
        };

        Assert.Null(cachedInbox["errors"]);
        Assert.Null(cachedThread["errors"]);
        Assert.Equal(cachedInbox["data"]!.Compact(), servedFromCacheOnB["data"]!.Compact());
        Assert.All(refused, answer =>
        {
            Assert.NotNull(answer["errors"]);
            Assert.Null(answer.At("data.page.conversations"));
            Assert.Null(answer.At("data.conversation.messages"));
            Assert.DoesNotContain(emulator.Data.Pages[0].Conversations[0].Messages[0].Id, answer.ToJsonString());
        });
    }

    /// <summary>Uncached bursts on both instances against an emulator that enforces Meta's 2 calls per second: the
    /// shared window keeps the two together under it, so Meta never refuses a call.</summary>
    [Fact]
    public async Task Two_instances_together_never_exceed_the_pages_allowance()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { RateLimitPerSecond = 2 });
        var settings = new Dictionary<string, string?>
        {
            ["Meta:RateLimit:CallsPerSecond"] = "2", ["Meta:RateLimit:MaxQueueWait"] = "00:00:02", ["Gateway:Cache:Enabled"] = "false",
        };
        await using var a = await Instance(emulator, redis, settings);
        await using var b = await Instance(emulator, redis, settings);
        const string inbox = """query($page: ID!) { page(id: $page) { conversations(platform: MESSENGER, first: 3) { nodes { id } } } }""";

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            (i % 2 == 0 ? a : b).QueryAsync(inbox, new { page = a.Page.PageId })));

        var errors = results.SelectMany(result => result["errors"]?.AsArray() ?? []).ToList();
        Assert.All(errors, error =>
        {
            Assert.Equal("META_RATE_LIMITED", error.At("extensions.code")!.GetValue<string>());
            Assert.Null(error.At("extensions.metaCode"));
        });
        var served = results.Count(result => result["errors"] is null);
        Assert.InRange(served, 2, 8);
        Assert.Equal(served, a.UpstreamCalls.Count);
    }

    /// <summary>A support team's load on one Page for thirty seconds: 40 clients spread over both instances reading the inbox
    /// and threads, while a new message arrives by webhook each second (alternately at A and at B) and drops what the cache
    /// held. Against an emulator that enforces Meta's 2 calls per second, Meta refuses nothing, the instances together
    /// spend no more than the allowance, and the cache serves almost every read.</summary>
    [Fact]
    public async Task Forty_clients_over_two_instances_for_thirty_seconds_get_no_meta_refusal_stay_within_the_allowance_and_have_99_percent_of_reads_served()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { RateLimitPerSecond = 2 });
        var settings = MetaWebhooks.Settings(("Meta:RateLimit:CallsPerSecond", "2"));
        await using var a = await Instance(emulator, redis, settings);
        await using var b = await Instance(emulator, redis, settings);
        var page = a.Page.PageId;
        var (_, person) = a.Person();
        var inbox = GatewayHost.Operation("inbox");
        const string thread = """query($id: ID!) { conversation(id: $id) { id messages(first: 5) { nodes { id message } } } }""";
        var threads = emulator.Data.Pages[0].Conversations.Take(5).Select(conversation => conversation.Id).ToArray();
        var duration = TimeSpan.FromSeconds(30);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var webhooks = Task.Run(async () =>
        {
            for (var second = 1; clock.Elapsed < duration - TimeSpan.FromSeconds(1); second++)
            {
                using var posted = await (second % 2 == 0 ? a : b).PostWebhookAsync(MetaWebhooks.Delivery(page,
                    MetaWebhooks.Message(page, person, $"m_load_{second}", $"Message {second}", 1_700_000_000_000 + second * 1_000L)));
                posted.EnsureSuccessStatusCode();
                // Pacing, not synchronisation: the scenario is one new message per second.
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        });
        var clients = await Task.WhenAll(Enumerable.Range(0, 40).Select(client => Task.Run(async () =>
        {
            var instance = client % 2 == 0 ? a : b;
            var answers = new List<JsonObject>();
            for (var read = 0; clock.Elapsed < duration; read++)
            {
                answers.Add(read % 2 == 0
                    ? await instance.QueryAsync(inbox, new { pageId = page })
                    : await instance.QueryAsync(thread, new { id = threads[(client + read) % threads.Length] }));
            }
            return answers;
        })));
        var elapsed = clock.Elapsed;
        await webhooks;
        var graphCalls = a.UpstreamCalls.Count;

        var answers = clients.SelectMany(answer => answer).ToList();
        var errors = answers.SelectMany(answer => answer["errors"]?.AsArray() ?? []).ToList();
        Assert.DoesNotContain(errors, error => error.At("extensions.metaCode") is not null);
        Assert.All(errors, error => Assert.Equal("META_RATE_LIMITED", error.At("extensions.code")!.GetValue<string>()));
        Assert.InRange(graphCalls, 1, 2 * (int)Math.Ceiling(elapsed.TotalSeconds) + 2);
        var served = answers.Count(answer => answer["errors"] is null);
        output.WriteLine($"{served} of {answers.Count} reads served in {elapsed.TotalSeconds:F1} s with {graphCalls} Graph calls: "
            + string.Join(", ", a.UpstreamCalls.GroupBy(call => call.Path).Select(group => $"{group.Key} x{group.Count()}")));
        Assert.True(served >= answers.Count * 0.99, $"{served} of {answers.Count} reads were served ({errors.Count} errors)");
        Assert.True(served > 40 * 30, $"only {served} reads were served in {elapsed.TotalSeconds:F0} s");
    }

    /// <summary>Redis goes away under load: nothing Graph could serve fails, readiness says degraded; it comes back and
    /// the instances share again.</summary>
    [Fact]
    public async Task Without_redis_the_instances_serve_alone_and_share_again_when_it_returns()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        await using var a = await Instance(emulator, redis);
        await using var b = await Instance(emulator, redis);
        var conversations = emulator.Data.Pages[0].Conversations;
        const string thread = """query($id: ID!) { conversation(id: $id) { id messages(first: 2) { nodes { id message } } } }""";

        // Eight readers over both instances; Redis is stopped while they run, once a third of their reads are done.
        var done = 0;
        var load = Task.WhenAll(Enumerable.Range(0, 8).Select(reader => Task.Run(async () =>
        {
            var answers = new List<JsonObject>();
            for (var read = 0; read < 15; read++)
            {
                answers.Add(await (reader % 2 == 0 ? a : b).QueryAsync(thread, new { id = conversations[(reader * 15 + read) % 20].Id }));
                Interlocked.Increment(ref done);
            }
            return answers;
        })));
        while (Volatile.Read(ref done) < 40 && !load.IsCompleted)
        {
            await Task.Delay(5);
        }
        await redis.StopAsync();
        var doneWhenStopped = Volatile.Read(ref done);
        var whileAway = (await load).SelectMany(answers => answers).ToList();
        using var degraded = await a.Client.GetAsync("/health/ready");
        var degradedBody = await degraded.Content.ReadAsStringAsync();

        await redis.StartAgainAsync();
        await WaitUntilAsync(async () => (await (await a.Client.GetAsync("/health/ready")).Content.ReadAsStringAsync()) == "Healthy"
            && (await (await b.Client.GetAsync("/health/ready")).Content.ReadAsStringAsync()) == "Healthy");
        emulator.ResetRequests();
        var shared = conversations[20].Id;
        await a.QueryAsync(thread, new { id = shared });
        var callsAfterA = a.UpstreamCalls.Count;
        await b.QueryAsync(thread, new { id = shared });

        Assert.Equal(120, whileAway.Count);
        Assert.True(doneWhenStopped < whileAway.Count, $"the readers had finished ({doneWhenStopped} reads) before Redis stopped");
        Assert.All(whileAway, answer => Assert.Null(answer["errors"]));
        Assert.Equal(HttpStatusCode.OK, degraded.StatusCode);
        Assert.Equal("Degraded", degradedBody);
        Assert.Equal(1, callsAfterA);
        Assert.Single(b.UpstreamCalls);
    }

    [Fact]
    public async Task An_instance_stopped_twice_stops_cleanly_and_is_then_disposed()
    {
        // A test server's disposal and the application's own shutdown both stop the host, in either order.
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        await using var a = await Instance(emulator, redis);
        var bus = a.Services.GetRequiredService<Gateway.Inbox.RedisInboxEventBus>();

        await bus.StopAsync(CancellationToken.None);
        await bus.StopAsync(CancellationToken.None);
    }

    private static Task<GatewayHost> Instance(EmulatorServer emulator, RedisServer redis, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["ConnectionStrings:Redis"] = redis.ConnectionString };
        return GatewayHost.StartAsync(settings: all, configurePages: true, sharedEmulator: emulator);
    }

    /// <summary>Polls a condition that another process makes true (Redis pub/sub, a reconnect), up to ten seconds.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("The condition did not hold within ten seconds.");
    }
}
