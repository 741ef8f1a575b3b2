using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;
using MetaGraph.Emulator.Data;

namespace Gateway.Tests.Sending;

/// <summary>
/// Meta's messaging window, enforced before Meta is called: 24 hours after the person's last message, 7 days with the tag
/// <c>HUMAN_AGENT</c>, its last millisecond inside. The gateway runs on the emulator's clock, which each test stops and moves,
/// so both sides agree on "now" to the millisecond.
/// </summary>
public sealed class MessagingWindowTests
{
    /// <summary>After every seeded message, on a whole second (Graph's times have no fractions).</summary>
    private static readonly DateTimeOffset Wrote = EmulatorClock.SeedNow.AddHours(1);

    private const string CanReplyUntil = "query($id: ID!) { conversation(id: $id) { canReplyUntil } }";

    [Fact]
    public async Task Inside_the_24_hour_window_a_reply_is_sent()
    {
        await using var host = await Sends.StartWithWebhooksAsync(onEmulatorClock: true);
        var written = await PersonWroteAsync(host);
        host.Emulator.Clock.Set(Wrote.AddHours(23));

        var payload = (await host.SendAsync(new { conversationId = written.ConversationId, text = "Within the day." })).Payload();

        Assert.Null(payload["errors"]);
        Assert.Equal("Within the day.", Assert.Single(host.Emulator.SentMessages).Text);
    }

    [Fact]
    public async Task Outside_the_window_the_answer_is_OutsideMessagingWindowError_with_when_it_closed_and_no_Send_call_is_made()
    {
        await using var host = await Sends.StartWithWebhooksAsync(onEmulatorClock: true);
        var written = await PersonWroteAsync(host);
        host.Emulator.Clock.Set(Wrote.AddHours(25));
        host.Emulator.ResetRequests();

        var error = (await host.SendAsync(new { conversationId = written.ConversationId, text = "A day too late." })).Payload()["errors"]![0]!;

        Assert.Equal("OutsideMessagingWindowError", error["__typename"]!.GetValue<string>());
        Assert.Equal(Wrote.AddHours(24), Time(error["closedAt"]));
        Assert.True(error["humanAgentTagAllowed"]!.GetValue<bool>());
        Assert.Equal(Wrote.AddDays(7), Time(error["humanAgentWindowClosesAt"]));
        Assert.Empty(host.SendCalls());
        Assert.Empty(host.Emulator.SentMessages);
    }

    [Fact]
    public async Task With_HUMAN_AGENT_a_reply_on_day_6_is_sent_and_one_on_day_8_is_refused_before_Meta_is_called()
    {
        await using var host = await Sends.StartWithWebhooksAsync(onEmulatorClock: true);
        var written = await PersonWroteAsync(host);
        host.Emulator.Clock.Set(Wrote.AddDays(6));
        var untagged = (await host.SendAsync(new { conversationId = written.ConversationId, text = "Day six." })).Payload();
        var daySix = (await host.SendAsync(new { conversationId = written.ConversationId, text = "Day six, from a person.", tag = "HUMAN_AGENT" })).Payload();
        host.Emulator.Clock.Set(Wrote.AddDays(8));
        host.Emulator.ResetRequests();

        var dayEight = (await host.SendAsync(new { conversationId = written.ConversationId, text = "Day eight.", tag = "HUMAN_AGENT" })).Payload();

        Assert.Equal(["OutsideMessagingWindowError"], untagged.ErrorTypes());
        Assert.True(untagged.At("errors.0.humanAgentTagAllowed")!.GetValue<bool>());
        Assert.Null(daySix["errors"]);
        var sent = Assert.Single(host.Emulator.SentMessages);
        Assert.Equal(("MESSAGE_TAG", "HUMAN_AGENT"), (sent.MessagingType, sent.Tag));
        Assert.Equal(["OutsideMessagingWindowError"], dayEight.ErrorTypes());
        Assert.Equal(Wrote.AddDays(7), Time(dayEight.At("errors.0.closedAt")));
        Assert.False(dayEight.At("errors.0.humanAgentTagAllowed")!.GetValue<bool>());
        Assert.Empty(host.SendCalls());
    }

    [Fact]
    public async Task At_the_boundary_24_hours_exactly_is_sent_and_one_millisecond_later_is_refused_without_a_Send_call()
    {
        await using var host = await Sends.StartWithWebhooksAsync(onEmulatorClock: true);
        var written = await PersonWroteAsync(host);
        host.Emulator.Clock.Set(Wrote.AddHours(24));
        var last = (await host.SendAsync(new { conversationId = written.ConversationId, text = "Just in time." })).Payload();
        host.Emulator.Clock.Set(Wrote.AddHours(24).AddMilliseconds(1));
        host.Emulator.ResetRequests();

        var late = (await host.SendAsync(new { conversationId = written.ConversationId, text = "Just too late." })).Payload();

        Assert.Null(last["errors"]);
        Assert.Equal("Just in time.", Assert.Single(host.Emulator.SentMessages).Text);
        Assert.Equal(["OutsideMessagingWindowError"], late.ErrorTypes());
        Assert.Equal(Wrote.AddHours(24), Time(late.At("errors.0.closedAt")));
        Assert.Empty(host.SendCalls());
    }

    [Fact]
    public async Task Metas_own_window_refusal_is_the_same_typed_error()
    {
        await using var host = await Sends.StartWithWebhooksAsync(onEmulatorClock: true);
        var now = EmulatorClock.SeedNow.AddDays(30);
        host.Emulator.Clock.Freeze();
        host.Emulator.Clock.Set(now);
        var (conversationId, personId) = host.Person();
        // A webhook Meta never sent says the person wrote now: the gateway believes the window open, Meta's data says otherwise.
        using var claim = await host.PostWebhookAsync(MetaWebhooks.Delivery(host.Page.PageId,
            MetaWebhooks.Message(host.Page.PageId, personId, "m_claimed_0001", "Hello?", now.ToUnixTimeMilliseconds())));
        await host.HeardOfAsync(new Written(conversationId, personId, "m_claimed_0001", now));
        host.Emulator.ResetRequests();

        var payload = (await host.SendAsync(new { conversationId, text = "Meta decides." })).Payload();

        Assert.Equal(["OutsideMessagingWindowError"], payload.ErrorTypes());
        Assert.Null(payload.At("errors.0.closedAt"));
        Assert.False(payload.At("errors.0.humanAgentTagAllowed")!.GetValue<bool>());
        Assert.Single(host.SendCalls());
        Assert.Empty(host.Emulator.SentMessages);
    }

    [Fact]
    public async Task canReplyUntil_comes_from_the_webhook_without_a_window_read_and_is_null_once_the_window_closed()
    {
        await using var host = await Sends.StartWithWebhooksAsync(onEmulatorClock: true);
        var written = await PersonWroteAsync(host);
        host.Emulator.ResetRequests();

        var open = await host.QueryAsync(CanReplyUntil, new { id = written.ConversationId });
        host.Emulator.Clock.Set(Wrote.AddHours(24).AddMilliseconds(1));
        var closed = await host.QueryAsync(CanReplyUntil, new { id = written.ConversationId });

        Assert.Equal(Wrote.AddHours(24), Time(open.At("data.conversation.canReplyUntil")));
        Assert.Null(closed.At("data.conversation.canReplyUntil"));
        // The conversation's own read (its updated_time, cached), and no read of its messages.
        Assert.Equal("id,updated_time", Assert.Single(host.UpstreamCalls).Fields());
    }

    [Fact]
    public async Task canReplyUntil_without_webhooks_reads_the_windows_of_an_inboxs_recent_conversations_in_one_call()
    {
        await using var host = await GatewayHost.StartAsync(onEmulatorClock: true);
        host.Emulator.Clock.Freeze();
        host.Emulator.Clock.Set(EmulatorClock.SeedNow);
        var expected = host.Emulator.Data.Pages[0].Folder(InboxPlatform.Messenger, "inbox").Take(8).ToDictionary(c => c.Id, ExpectedCanReplyUntil);
        Assert.Contains(expected.Values, until => until is not null);

        var answer = await host.QueryAsync("query($page: ID!) { page(id: $page) { conversations(platform: MESSENGER, first: 8) { nodes { metaId canReplyUntil } } } }",
            new { page = host.Page.PageId });

        var actual = answer.At("data.page.conversations.nodes")!.AsArray().ToDictionary(c => c!["metaId"]!.GetValue<string>(), c => Time(c!["canReplyUntil"]));
        Assert.Equal(expected, actual);
        Assert.Equal(2, host.UpstreamCalls.Count);
        Assert.Contains("ids=", host.UpstreamCalls[1].Query);
        Assert.Equal("id,participants,messages.limit(20){id,created_time,from}", host.UpstreamCalls[1].Fields());
    }

    /// <summary>What Meta's data says, as the gateway reads it: the person's newest message among the 20 newest, at Graph's
    /// whole seconds; closed after 24 hours.</summary>
    private static DateTimeOffset? ExpectedCanReplyUntil(ConversationData conversation)
    {
        var now = EmulatorClock.SeedNow;
        var last = conversation.Messages.Take(20).FirstOrDefault(m => m.From.Id == conversation.Customer.Id)?.CreatedTime;
        var until = last is { } wrote ? wrote.AddTicks(-(wrote.Ticks % TimeSpan.TicksPerSecond)).AddHours(24) : (DateTimeOffset?)null;
        return now - conversation.UpdatedTime > TimeSpan.FromHours(24) || until < now ? null : until;
    }

    /// <summary>The clock stopped at <see cref="Wrote"/>, when a seeded person wrote, and the gateway heard of it.</summary>
    private static async Task<Written> PersonWroteAsync(GatewayHost host)
    {
        host.Emulator.Clock.Freeze();
        host.Emulator.Clock.Set(Wrote);
        var written = await host.PersonWritesAsync();
        Assert.Equal(Wrote, written.At);
        return written;
    }

    private static DateTimeOffset? Time(JsonNode? value) => value is null ? null : DateTimeOffset.Parse(value.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}
