using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Inbox;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Subscriptions;

/// <summary>
/// A subscriber that lost its connection comes back with the last event id it saw (the <c>after</c> argument, or SSE's
/// <c>Last-Event-ID</c>) and gets what it missed, each once and in order, then the live events; only its own Page's.
/// Without Redis the history is this instance's memory (the Redis stream is covered by ScaleOutEventsTests).
/// </summary>
public sealed class ResumableSubscriptionTests
{
    private const string Subscription = "subscription($page: ID!, $after: String) { messageReceived(pageId: $page, after: $after) { metaId } }";

    [Fact]
    public async Task A_websocket_subscriber_resuming_after_its_last_event_gets_what_it_missed_once_in_order_then_live_events()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        var page = host.Page.PageId;
        var otherPage = host.Emulator.Seed[1].PageId;
        // A second subscriber stays connected throughout: once it has an event, the event is in the Page's history.
        await using var witness = await Subscribe(host, new { page });
        await using (var dropped = await Subscribe(host, new { page }))
        {
            await host.WaitForSubscriptionsAsync(2);
            await Post(host, page, "m_1", 1);
            var first = await dropped.ReceiveResultAsync("1");
            await witness.ReceiveResultAsync("1");
            var lastSeen = first.At("extensions.eventId")!.GetValue<string>();
            dropped.Abort();
            await host.WaitForSubscriptionsAsync(1);

            await Post(host, page, "m_2", 2);
            await Post(host, otherPage, "m_other_page", 3, pageIndex: 1);
            await Post(host, page, "m_3", 4);
            Assert.Equal("m_2", (await witness.ReceiveDataAsync("1")).At("messageReceived.metaId")!.GetValue<string>());
            Assert.Equal("m_3", (await witness.ReceiveDataAsync("1")).At("messageReceived.metaId")!.GetValue<string>());

            await using var resumed = await Subscribe(host, new { page, after = lastSeen });
            var missed = new[] { await resumed.ReceiveResultAsync("1"), await resumed.ReceiveResultAsync("1") };
            await Post(host, page, "m_4", 5);
            var live = await resumed.ReceiveResultAsync("1");

            Assert.Equal(["m_2", "m_3", "m_4"], missed.Append(live).Select(result => result.At("data.messageReceived.metaId")!.GetValue<string>()));
            var ids = new[] { lastSeen }.Concat(missed.Append(live).Select(result => result.At("extensions.eventId")!.GetValue<string>()))
                .Select(InboxEventId.Parse).ToList();
            Assert.All(ids.Zip(ids.Skip(1)), pair => Assert.True(pair.First < pair.Second, $"{pair.Second} does not follow {pair.First}"));
        }
    }

    [Fact]
    public async Task An_sse_subscriber_reconnecting_with_last_event_id_gets_what_it_missed()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        var page = host.Page.PageId;
        await using var witness = await Subscribe(host, new { page });
        string lastSeen;
        using (var first = await OpenSseAsync(host, page, lastEventId: null))
        {
            await host.WaitForSubscriptionsAsync(2);
            await Post(host, page, "m_1", 1);
            var (id, data) = await ReadEventAsync(first.Events);
            Assert.Equal("m_1", data.At("data.messageReceived.metaId")!.GetValue<string>());
            Assert.Equal(data.At("extensions.eventId")!.GetValue<string>(), id);
            lastSeen = id!;
        }
        await host.WaitForSubscriptionsAsync(1);
        await Post(host, page, "m_2", 2);
        await witness.ReceiveResultAsync("1");
        await witness.ReceiveResultAsync("1");

        using var again = await OpenSseAsync(host, page, lastEventId: lastSeen);
        var (missedId, missed) = await ReadEventAsync(again.Events);

        Assert.Equal("m_2", missed.At("data.messageReceived.metaId")!.GetValue<string>());
        Assert.True(InboxEventId.Parse(missedId!) > InboxEventId.Parse(lastSeen), $"{missedId} is not after {lastSeen}");
    }

    [Fact]
    public async Task Resuming_from_an_event_the_history_no_longer_reaches_or_one_never_given_out_is_refused_rather_than_silently_incomplete()
    {
        await using var host = await GatewayHost.StartAsync(
            settings: MetaWebhooks.Settings(("Inbox:EventHistoryPerPage", "2")), configurePages: true);
        var page = host.Page.PageId;
        await using var witness = await Subscribe(host, new { page });
        await host.WaitForSubscriptionsAsync(1);
        var ids = new List<string>();
        for (var i = 1; i <= 4; i++)
        {
            await Post(host, page, $"m_{i}", i);
            ids.Add((await witness.ReceiveResultAsync("1")).At("extensions.eventId")!.GetValue<string>());
        }

        // The history keeps the last two (m_3, m_4): after m_1, m_2 would be missing; after m_2, nothing is.
        await using var tooOld = await Subscribe(host, new { page, after = ids[0] });
        var refused = await tooOld.ReceiveAsync();
        var complete = await tooOld.ReceiveAsync();
        await using var recent = await Subscribe(host, new { page, after = ids[1] });
        var kept = new[] { await recent.ReceiveDataAsync("1"), await recent.ReceiveDataAsync("1") };
        // The same resumption again, same credentials: it gets its own replay rather than joining the running one.
        await using var recentAgain = await Subscribe(host, new { page, after = ids[1] });
        var keptAgain = new[] { await recentAgain.ReceiveDataAsync("1"), await recentAgain.ReceiveDataAsync("1") };
        await using var malformed = await Subscribe(host, new { page, after = "yesterday" });
        var invalid = await malformed.ReceiveAsync();
        // An id newer than any event would swallow the events to come without a word.
        await using var fromTheFuture = await Subscribe(host, new { page, after = $"{InboxEventId.Parse(ids[3]).Milliseconds + 3_600_000}-0" });
        var neverIssued = await fromTheFuture.ReceiveAsync();

        Assert.Equal("EVENT_HISTORY_EXPIRED", refused.At("payload.errors.0.extensions.code")!.GetValue<string>());
        Assert.Null(refused.At("payload.data.messageReceived"));
        Assert.Equal("complete", complete!["type"]!.GetValue<string>());
        Assert.Equal(["m_3", "m_4"], kept.Select(data => data.At("messageReceived.metaId")!.GetValue<string>()));
        Assert.Equal(["m_3", "m_4"], keptAgain.Select(data => data.At("messageReceived.metaId")!.GetValue<string>()));
        Assert.Equal("INVALID_EVENT_ID", invalid.At("payload.errors.0.extensions.code")!.GetValue<string>());
        Assert.Equal("INVALID_EVENT_ID", neverIssued.At("payload.errors.0.extensions.code")!.GetValue<string>());
    }

    private static async Task<GraphQLWsClient> Subscribe(GatewayHost host, object variables)
    {
        var client = await GraphQLWsClient.ConnectAndInitAsync(host, new { Authorization = "Bearer " + host.Page.AccessToken });
        await client.SubscribeAsync("1", Subscription, variables);
        return client;
    }

    private static async Task Post(GatewayHost host, string page, string mid, int second, int pageIndex = 0)
    {
        var (_, person) = host.Person(pageIndex);
        using var response = await host.PostWebhookAsync(MetaWebhooks.Delivery(page, MetaWebhooks.Message(page, person, mid, mid, 1_700_000_000_000 + second * 1_000L)));
        response.EnsureSuccessStatusCode();
    }

    private static async Task<SseStream> OpenSseAsync(GatewayHost host, string page, string? lastEventId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { query = Subscription, variables = new { page } }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Page.AccessToken);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new SseStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next <c>next</c> event of an SSE stream: its <c>id:</c> field and its data.</summary>
    private static async Task<(string? Id, JsonNode Data)> ReadEventAsync(StreamReader events)
    {
        string? id = null;
        string? type = null;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await events.ReadLineAsync(patience.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line["id: ".Length..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == "next")
            {
                return (id, JsonNode.Parse(line["data: ".Length..])!);
            }
        }
        throw new InvalidOperationException("The stream ended before an event.");
    }

    private sealed record SseStream(HttpResponseMessage Response, StreamReader Events) : IDisposable
    {
        public void Dispose()
        {
            Events.Dispose();
            Response.Dispose();
        }
    }
}
