using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>The messaging window measured from the person's last message in the data, on the emulator's frozen clock: 24 hours
/// for a response, 7 days with <c>HUMAN_AGENT</c>, any time with an update tag on Messenger.</summary>
public sealed class MessagingWindowTests : EmulatorTest
{
    private const string MessengerRefusal = "(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview";

    /// <summary>The seeded person's last message, from which their window runs.</summary>
    private DateTimeOffset LastMessage(ConversationData thread) => thread.Messages.First(m => m.From.Id == thread.Customer.Id).CreatedTime;

    [Fact]
    public async Task A_response_is_allowed_until_exactly_24_hours_after_the_persons_last_message_and_refused_a_millisecond_later()
    {
        var thread = Messenger();
        Server.Clock.Freeze();
        Server.Clock.Set(LastMessage(thread).AddHours(24));

        var atTheEdge = await SendTextAsync(thread.Customer.Id);
        Server.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var past = await SendTextAsync(thread.Customer.Id);

        Assert.Equal(HttpStatusCode.OK, atTheEdge.Status);
        var error = past.AssertError(HttpStatusCode.BadRequest, 10);
        Assert.Equal(2018278, past.ErrorSubcode);
        Assert.Equal(MessengerRefusal, error["message"]!.GetValue<string>());
        Assert.Equal("OAuthException", error["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_human_agent_may_answer_6_days_later_but_not_8()
    {
        var thread = Messenger();
        Server.Clock.Freeze();
        Server.Clock.Set(LastMessage(thread).AddDays(6));

        var agentAfter6Days = await SendAsync(thread, "MESSAGE_TAG", "HUMAN_AGENT");
        var responseAfter6Days = await SendAsync(thread, "RESPONSE");
        Server.Clock.Advance(TimeSpan.FromDays(2));
        var agentAfter8Days = await SendAsync(thread, "MESSAGE_TAG", "HUMAN_AGENT");

        Assert.Equal(HttpStatusCode.OK, agentAfter6Days.Status);
        Assert.Equal(2018278, responseAfter6Days.ErrorSubcode);
        Assert.Equal(2018278, agentAfter8Days.ErrorSubcode);
        agentAfter8Days.AssertError(HttpStatusCode.BadRequest, 10);
    }

    [Fact]
    public async Task An_update_tag_may_be_sent_on_messenger_any_time_after_the_person_wrote()
    {
        var thread = Messenger();
        Server.Clock.Set(LastMessage(thread).AddDays(90));

        var update = await SendAsync(thread, "MESSAGE_TAG", "POST_PURCHASE_UPDATE");
        var response = await SendAsync(thread, "UPDATE");

        Assert.Equal(HttpStatusCode.OK, update.Status);
        Assert.Equal(2018278, response.ErrorSubcode);
    }

    [Fact]
    public async Task Instagram_refuses_with_its_own_subcode_and_takes_only_the_human_agent_tag()
    {
        var thread = PageData.Folder(InboxPlatform.Instagram).First(c => c.Messages.Any(m => m.From.Id == c.Customer.Id));
        Server.Clock.Freeze();
        Server.Clock.Set(LastMessage(thread).AddHours(25));

        var response = await SendAsync(thread, "RESPONSE");
        var update = await SendAsync(thread, "MESSAGE_TAG", "POST_PURCHASE_UPDATE");
        var agent = await SendAsync(thread, "MESSAGE_TAG", "HUMAN_AGENT");

        Assert.Equal("(#10) This message is sent outside of allowed window.", response.AssertError(HttpStatusCode.BadRequest, 10)["message"]!.GetValue<string>());
        Assert.Equal(2534022, response.ErrorSubcode);
        Assert.Equal("(#100) The tag POST_PURCHASE_UPDATE is not available for Instagram messaging: use HUMAN_AGENT",
            update.AssertError(HttpStatusCode.BadRequest, 100)["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, agent.Status);
    }

    [Fact]
    public async Task The_pages_own_replies_do_not_reopen_the_window_but_the_persons_next_message_does()
    {
        var thread = Messenger();
        Server.Clock.Freeze();
        Server.Clock.Set(LastMessage(thread).AddDays(3));

        var agent = await SendAsync(thread, "MESSAGE_TAG", "HUMAN_AGENT");
        var afterOwnReply = await SendAsync(thread, "RESPONSE");
        await PersonWritesAsync(userId: thread.Customer.Id);
        var afterPersonWrote = await SendAsync(thread, "RESPONSE");

        Assert.Equal(HttpStatusCode.OK, agent.Status);
        Assert.Equal(2018278, afterOwnReply.ErrorSubcode);
        Assert.Equal(HttpStatusCode.OK, afterPersonWrote.Status);
    }

    [Fact]
    public async Task Thirty_days_after_the_seed_every_seeded_person_is_outside_the_window()
    {
        Server.Clock.Set(EmulatorClock.SeedNow.AddDays(30));

        var answers = new List<GraphAnswer>();
        foreach (var thread in PageData.Folder(InboxPlatform.Messenger).Take(5))
        {
            answers.Add(await SendAsync(thread, "RESPONSE"));
        }

        Assert.All(answers, answer => Assert.Equal(2018278, answer.ErrorSubcode));
    }

    [Fact]
    public async Task Typing_and_reactions_need_the_window_but_mark_seen_does_not()
    {
        var thread = Messenger();
        Server.Clock.Set(LastMessage(thread).AddDays(2));

        var typing = await SendMessageAsync(new { recipient = new { id = thread.Customer.Id }, sender_action = "typing_on" });
        var react = await SendMessageAsync(new
        {
            recipient = new { id = thread.Customer.Id }, sender_action = "react", payload = new { message_id = thread.Messages[0].Id, reaction = "like" },
        });
        var seen = await SendMessageAsync(new { recipient = new { id = thread.Customer.Id }, sender_action = "mark_seen" });

        Assert.Equal(2018278, typing.ErrorSubcode);
        Assert.Equal(2018278, react.ErrorSubcode);
        Assert.Equal(HttpStatusCode.OK, seen.Status);
    }

    /// <summary>A seeded Messenger thread whose newest message is the person's.</summary>
    private ConversationData Messenger() => PageData.Folder(InboxPlatform.Messenger).First(c => c.Messages[0].From.Id == c.Customer.Id);

    private async Task<GraphAnswer> SendAsync(ConversationData thread, string messagingType, string? tag = null)
        => await SendMessageAsync(new { recipient = new { id = thread.Customer.Id }, messaging_type = messagingType, tag, message = new { text = "Any news?" } });
}

/// <summary>The emulator's clock: set, moved and frozen over HTTP and in-process.</summary>
public sealed class ClockTests : EmulatorTest
{
    [Fact]
    public async Task The_clock_endpoint_sets_moves_and_freezes_the_time_new_messages_get()
    {
        var set = await Http.PostAsJsonAsync("_emulator/clock", new { now = "2026-10-01T12:00:00Z", frozen = true });
        var moved = await Http.PostAsJsonAsync("_emulator/clock", new { advanceBy = "1.00:00:00" });
        var written = await PersonWritesAsync();

        Assert.Equal("""{"now":"2026-10-01T12:00:00+00:00","frozen":true,"seedNow":"2026-10-01T00:00:00+00:00"}""", await set.Content.ReadAsStringAsync());
        Assert.Equal("""{"now":"2026-10-02T12:00:00+00:00","frozen":true,"seedNow":"2026-10-01T00:00:00+00:00"}""", await moved.Content.ReadAsStringAsync());
        Assert.Equal("2026-10-02T12:00:00+0000", written["createdTime"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2026, 10, 2, 12, 0, 0, TimeSpan.Zero), Server.Clock.Now);
    }

    [Fact]
    public async Task A_frozen_clock_stands_still_and_resumes_from_where_it_stood()
    {
        Server.Clock.Freeze();
        var frozen = Server.Clock.Now;
        var stillFrozen = Server.Clock.Now;
        var resumed = await Http.PostAsJsonAsync("_emulator/clock", new { frozen = false });

        Assert.Equal(frozen, stillFrozen);
        Assert.False(JsonNode.Parse(await resumed.Content.ReadAsStringAsync())!["frozen"]!.GetValue<bool>());
        Assert.True(Server.Clock.Now >= frozen);
        Assert.True(Server.Clock.Now - frozen < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task The_seed_was_written_at_seed_now_with_every_seeded_message_before_it()
    {
        var clock = JsonNode.Parse(await Http.GetStringAsync("_emulator/clock"))!;

        Assert.Equal("2026-10-01T00:00:00+00:00", clock["seedNow"]!.GetValue<string>());
        Assert.All(Server.Data.Pages.SelectMany(p => p.Conversations), c => Assert.True(c.UpdatedTime < EmulatorClock.SeedNow));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"advanceBy":"soon"}""")]
    public async Task Bad_clock_input_is_refused(string body)
    {
        var answer = await Http.PostAsync("_emulator/clock", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("advanceBy", JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>());
    }
}
