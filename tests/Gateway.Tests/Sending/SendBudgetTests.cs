using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Gateway.Sending;
using Gateway.Telemetry;
using Gateway.Tests.Infrastructure;
using MetaGraph;
using MetaGraph.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Xunit.Abstractions;

namespace Gateway.Tests.Sending;

/// <summary>The Send API's own budget: the Page's 300 sends a second (the emulator enforces Meta's allowances and refuses
/// past them), never charged to the 2 reads a second of the Conversations API and never queued behind reads, and a cap per
/// thread the gateway applies before Meta does.</summary>
public sealed class SendBudgetTests(ITestOutputHelper output)
{
    private const int People = 100;
    private const int Burst = 2_000;
    private const int Senders = 16;

    /// <summary>Reads go to Graph every time (no cache) while the burst runs: they go on during it, not queued behind it. How
    /// long they take then is measured by the benchmark (<c>--send</c>), not asserted here.</summary>
    [Fact]
    [Trait(TestCategories.Name, TestCategories.Slow)]
    public async Task A_burst_of_2000_text_sends_to_many_people_of_one_Page_gets_no_Meta_refusal_stays_within_300_a_second_and_inbox_reads_go_on_during_it()
    {
        await using var host = await Sends.StartWithWebhooksAsync(settings: [("Gateway:Cache:Enabled", "false")]);
        host.Emulator.Configure(new EmulatorRuntimeConfig(SendCallsPerSecond: 300, SendMediaCallsPerSecond: 10, ThreadMessagesPerMinute: 60));
        var people = await ManyPeopleWriteAsync(host);
        using var upstream = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), GatewayMetrics.MeterName, "gateway.upstream.calls");
        var inbox = GatewayHost.Operation("inbox");

        var started = Stopwatch.StartNew();
        var burst = SendBurstAsync([host], people, Burst);
        var during = await ReadsDuringAsync(host, inbox, burst);
        var answers = await burst;
        var seconds = started.Elapsed.TotalSeconds;

        output.WriteLine($"{Burst} sends in {seconds:0.0} s ({Burst / seconds:0} a second), {during} inbox reads during them");
        Assert.All(answers, answer => Assert.Null(answer.Payload()["errors"]));
        Assert.Equal(Burst, host.Emulator.SentMessages.Count);
        Assert.DoesNotContain(upstream.GetMeasurementSnapshot(), m => Equals(m.Tags["endpoint"], "send") && !Equals(m.Tags["outcome"], "ok"));
        // At most 300 in any second: the emulator refuses (613) past Meta's sliding window, and none was refused. Faster than
        // that is impossible, and the burst ran at the allowance's pace at best.
        Assert.True(seconds >= (Burst - 300) / 300.0, $"{Burst} sends took {seconds:0.0} s");
        Assert.True(during >= 5, $"only {during} reads during the burst");
    }

    /// <summary>This machine cannot send faster than Meta's 300 a second, so the pacing itself is shown at a lower allowance,
    /// the same in the gateway and in the emulator (which refuses past it): a burst faster than it goes at its pace, refused
    /// by no one.</summary>
    [Fact]
    public async Task A_burst_faster_than_the_Pages_Send_allowance_is_paced_to_it_without_a_refusal()
    {
        await using var host = await Sends.StartWithWebhooksAsync(settings: [("Meta:RateLimit:SendCallsPerSecond", "50")]);
        host.Emulator.Configure(new EmulatorRuntimeConfig(SendCallsPerSecond: 50));
        var people = await ManyPeopleWriteAsync(host);
        using var upstream = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), GatewayMetrics.MeterName, "gateway.upstream.calls");

        var started = Stopwatch.StartNew();
        var answers = await SendBurstAsync([host], people, 300);
        var seconds = started.Elapsed.TotalSeconds;

        Assert.All(answers, answer => Assert.Null(answer.Payload()["errors"]));
        Assert.Equal(300, host.Emulator.SentMessages.Count);
        Assert.DoesNotContain(upstream.GetMeasurementSnapshot(), m => Equals(m.Tags["endpoint"], "send") && !Equals(m.Tags["outcome"], "ok"));
        Assert.True(seconds >= (300 - 50) / 50.0, $"300 sends at 50 a second took {seconds:0.0} s");
    }

    /// <summary>Two instances on one Redis share the Page's Send allowance, as they share its reads': a burst sent through
    /// both at once goes at the Page's pace, refused by no one (each instance alone at that pace would be twice too fast).</summary>
    [Fact]
    [Trait(TestCategories.Name, TestCategories.Slow)]
    public async Task Two_instances_on_Redis_share_the_Pages_Send_allowance_and_a_burst_through_both_is_never_refused()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        (string, string?)[] settings = [("ConnectionStrings:Redis", redis.ConnectionString), ("Meta:RateLimit:SendCallsPerSecond", "20")];
        await using var a = await Sends.StartWithWebhooksAsync(emulator, settings: settings);
        await using var b = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(settings), configurePages: true, sharedEmulator: emulator);
        emulator.Configure(new EmulatorRuntimeConfig(SendCallsPerSecond: 20));
        var people = await ManyPeopleWriteAsync(a);
        await ReachesAsync(b, people);
        using var upstreamA = new MetricCollector<long>(a.Services.GetRequiredService<IMeterFactory>(), GatewayMetrics.MeterName, "gateway.upstream.calls");
        using var upstreamB = new MetricCollector<long>(b.Services.GetRequiredService<IMeterFactory>(), GatewayMetrics.MeterName, "gateway.upstream.calls");

        var started = Stopwatch.StartNew();
        var answers = await SendBurstAsync([a, b], people, 100);
        var seconds = started.Elapsed.TotalSeconds;

        Assert.All(answers, answer => Assert.Null(answer.Payload()["errors"]));
        Assert.Equal(100, emulator.SentMessages.Count);
        Assert.All([upstreamA, upstreamB], upstream => Assert.DoesNotContain(upstream.GetMeasurementSnapshot(),
            m => Equals(m.Tags["endpoint"], "send") && !Equals(m.Tags["outcome"], "ok")));
        Assert.True(seconds >= (100 - 20) / 20.0, $"100 sends at 20 a second for the Page took {seconds:0.0} s");
    }

    /// <summary>The Page's 2 reads a second are spent and more reads wait for their turn; sends meanwhile go at once, all of
    /// them delivered, none waiting for the reads' allowance nor counted in it (Meta would have refused reads past it).</summary>
    [Fact]
    public async Task Sends_are_never_charged_to_the_conversations_budget_nor_queued_behind_reads()
    {
        await using var host = await Sends.StartWithWebhooksAsync(settings:
            [("Gateway:Cache:Enabled", "false"), ("Meta:RateLimit:CallsPerSecond", "2"), ("Meta:RateLimit:MaxQueueWait", "00:00:30")]);
        var written = await host.PersonWritesAsync();
        host.Emulator.Configure(new EmulatorRuntimeConfig(RateLimitPerSecond: 2, SendCallsPerSecond: 300));
        var inbox = GatewayHost.Operation("inbox");

        var reads = Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.QueryAsync(inbox, new { pageId = host.Page.PageId })));
        var sending = Stopwatch.StartNew();
        var sends = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => host.SendAsync(new { conversationId = written.ConversationId, text = $"Reply {i}" })));
        sending.Stop();
        var readsPending = !reads.IsCompleted;
        var answers = await reads;

        Assert.All(sends, answer => Assert.Null(answer.Payload()["errors"]));
        Assert.Equal(20, host.Emulator.SentMessages.Count);
        // Eight reads at two a second take over three seconds: the sends were done before them.
        Assert.True(readsPending, $"the reads were done before the sends ({sending.ElapsedMilliseconds} ms)");
        Assert.All(answers, answer => Assert.Null(answer["errors"]));
    }

    [Fact]
    public async Task Past_its_messages_per_thread_a_minute_the_gateway_refuses_a_send_before_Meta_would()
    {
        await using var host = await Sends.StartWithWebhooksAsync(settings: [("Gateway:Send:MessagesPerThreadPerMinute", "5")]);
        var written = await host.PersonWritesAsync();
        host.Emulator.Configure(new EmulatorRuntimeConfig(ThreadMessagesPerMinute: 6));

        var answers = new List<JsonNode>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add((await host.SendAsync(new { conversationId = written.ConversationId, text = $"Message {i}" })).Payload());
        }

        Assert.All(answers.Take(5), payload => Assert.Null(payload["errors"]));
        Assert.Equal(["SendRateLimitedError"], answers[5].ErrorTypes());
        Assert.InRange(answers[5].At("errors.0.retryAfter")!.GetValue<int>(), 1, 60);
        Assert.Equal(5, host.Emulator.SentMessages.Count);
        Assert.Equal(5, host.SendCalls().Count);
    }

    /// <summary>Two instances on one Redis count a thread's minute together: an agent on each answering the same person, the
    /// send past the cap is refused on whichever instance it reaches, before Meta is called.</summary>
    [Fact]
    [Trait(TestCategories.Name, TestCategories.Slow)]
    public async Task Two_instances_on_Redis_count_a_threads_messages_together()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        (string, string?)[] settings = [("ConnectionStrings:Redis", redis.ConnectionString), ("Gateway:Send:MessagesPerThreadPerMinute", "4")];
        await using var a = await Sends.StartWithWebhooksAsync(emulator, settings: settings);
        await using var b = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(settings), configurePages: true, sharedEmulator: emulator);
        var written = await a.PersonWritesAsync();
        emulator.Configure(new EmulatorRuntimeConfig(ThreadMessagesPerMinute: 6));

        var answers = new List<JsonNode>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await (i % 2 == 0 ? a : b).SendAsync(new { conversationId = written.ConversationId, text = $"Message {i}" })).Payload());
        }

        Assert.All(answers.Take(4), payload => Assert.Null(payload["errors"]));
        Assert.Equal(["SendRateLimitedError"], answers[4].ErrorTypes());
        Assert.Equal(4, emulator.SentMessages.Count);
    }

    /// <summary>New people write to the first Page at once; the gateway learns their windows from the webhooks.</summary>
    private static async Task<List<string>> ManyPeopleWriteAsync(GatewayHost host)
    {
        var people = Enumerable.Range(0, People).Select(i => $"5551000000{i:D5}").ToList();
        await host.MakePersonWriteAsync(people.Select(userId => new { pageId = host.Page.PageId, platform = "messenger", userId, text = "Hello?" }).ToArray());
        await ReachesAsync(host, people);
        return people;
    }

    /// <summary>Waits until <paramref name="host"/> knows each person's messaging window (from the webhooks, or the event spine).</summary>
    private static async Task ReachesAsync(GatewayHost host, List<string> people)
    {
        var windows = host.Services.GetRequiredService<MessagingWindows>();
        await Eventually.TrueAsync(() => people.All(person => windows.Of(host.Page.PageId, Platform.Messenger, person) is not null),
            TimeSpan.FromSeconds(60), "the gateway to hear of every person's message");
    }

    /// <summary>A burst of <paramref name="count"/> texts: <see cref="Senders"/> agents sending at once, each taking the next message;
    /// consecutive messages go to different people, and through the <paramref name="hosts"/> in turn.</summary>
    private static async Task<JsonObject[]> SendBurstAsync(IReadOnlyList<GatewayHost> hosts, List<string> people, int count)
    {
        var answers = new JsonObject[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                answers[i] = await hosts[i % hosts.Count].SendAsync(new
                {
                    recipient = new { pageId = hosts[0].Page.PageId, platform = "MESSENGER", userId = people[i % people.Count] },
                    text = $"Update {i}",
                });
            }
        }));
        return answers;
    }

    /// <summary>Inbox reads one after another until <paramref name="until"/> is done; how many there were.</summary>
    private static async Task<int> ReadsDuringAsync(GatewayHost host, string inbox, Task until)
    {
        var reads = 0;
        while (!until.IsCompleted)
        {
            var answer = await host.QueryAsync(inbox, new { pageId = host.Page.PageId });
            Assert.Null(answer["errors"]);
            reads++;
        }
        return reads;
    }
}
