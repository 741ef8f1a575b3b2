using System.Net;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>Meta's per-API allowances ("Messenger Platform rate limits"): the Conversations API per second, user profiles per
/// rolling day at 200 per engaged user, the Send API per second (audio and video apart) and per thread. Each is charged per
/// item, refuses with its API's error, and reports its usage. The clock is frozen so windows only move when a test moves them.</summary>
public sealed class ApiRateLimitTests : EmulatorTest
{
    private const string MessengerLimit = "(#80006) There have been too many messenger api calls to this Page account. Wait a bit and try again. " +
        "For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Server.Clock.Freeze();
    }

    private IReadOnlyList<string> People(int count) => PageData.Conversations.Take(count).Select(c => c.Customer.Id).ToList();

    private IReadOnlyList<string> Conversations(int count) => PageData.Conversations.Take(count).Select(c => c.Id).ToList();

    [Fact]
    public async Task Profile_reads_are_not_the_conversations_apis_to_count()
    {
        Server.Configure(new EmulatorRuntimeConfig(RateLimitPerSecond: 2));

        var profiles = await GetAsync($"?ids={string.Join(',', People(3))}&fields=name");
        var conversations = await GetAsync($"?ids={string.Join(',', Conversations(3))}");

        Assert.Equal(HttpStatusCode.OK, profiles.Status);
        Assert.False(profiles.Headers.ContainsKey("X-Business-Use-Case-Usage"));
        Assert.Equal(MessengerLimit, conversations.AssertError(HttpStatusCode.BadRequest, 80006)["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_read_mixing_kinds_is_charged_per_id_to_each_ids_api_and_reports_each()
    {
        Server.Configure(new EmulatorRuntimeConfig(RateLimitPerSecond: 2, ProfileCallsPerDay: 4));

        var mixed = await GetAsync($"?ids={string.Join(',', Conversations(2).Concat(People(3)))}&fields=id");
        var oneMoreProfile = await GetAsync($"?ids={string.Join(',', People(5).Skip(3))}");

        Assert.Equal(HttpStatusCode.OK, mixed.Status);
        var usage = JsonNode.Parse(mixed.Headers["X-Business-Use-Case-Usage"])![Page.PageId]!.AsArray();
        Assert.Equal([100, 75], usage.Select(u => u!["call_count"]!.GetValue<int>()));
        Assert.All(usage, u => Assert.Equal("messenger", u!["type"]!.GetValue<string>()));
        Assert.Equal(MessengerLimit, oneMoreProfile.AssertError(HttpStatusCode.BadRequest, 80006)["message"]!.GetValue<string>());
        var refused = JsonNode.Parse(oneMoreProfile.Headers["X-Business-Use-Case-Usage"])![Page.PageId]![0]!;
        Assert.Equal(100, refused["call_count"]!.GetValue<int>());
        Assert.Equal(24 * 60, refused["estimated_time_to_regain_access"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_profile_allowance_is_per_engaged_user_over_a_rolling_day()
    {
        var engaged = PageData.EngagedUsers;
        Server.Configure(new EmulatorRuntimeConfig(ProfileCallsPerEngagedUser: 1));

        var answers = new List<GraphAnswer>();
        foreach (var chunk in PageData.Conversations.Select(c => c.Customer.Id).Chunk(25))
        {
            answers.Add(await GetAsync($"?ids={string.Join(',', chunk)}"));
        }
        var beyond = await GetAsync(PageData.Conversations[0].Customer.Id);
        Server.Clock.Advance(TimeSpan.FromDays(1));
        var nextDay = await GetAsync(PageData.Conversations[0].Customer.Id);

        Assert.Equal(PageData.Conversations.Count, engaged);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        beyond.AssertError(HttpStatusCode.BadRequest, 80006);
        Assert.Equal(HttpStatusCode.OK, nextDay.Status);
    }

    [Fact]
    public async Task Engaged_users_are_the_people_the_page_can_still_message()
    {
        var before = PageData.EngagedUsers;
        var person = PageData.Conversations[0].Customer.Id;

        await ChangeAsync("availability", new { pageId = Page.PageId, platform = "messenger", userId = person, availability = "blocked" });

        Assert.Equal(PageData.Conversations.Select(c => c.Customer.Id).Distinct().Count(), before);
        Assert.Equal(before - 1, Server.Data.Pages[0].EngagedUsers);
    }

    [Fact]
    public async Task A_pages_own_node_costs_no_messenger_allowance()
    {
        Server.Configure(new EmulatorRuntimeConfig(RateLimitPerSecond: 1));

        var answers = new[] { await GetAsync(Page.PageId), await GetAsync(Page.InstagramAccountId), await GetAsync("me") };

        Assert.All(answers, answer =>
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.False(answer.Headers.ContainsKey("X-App-Usage"));
        });
    }

    [Fact]
    public async Task Batch_items_are_charged_to_their_own_apis()
    {
        Server.Configure(new EmulatorRuntimeConfig(RateLimitPerSecond: 1, ProfileCallsPerDay: 1));
        var (conversations, people) = (Conversations(2), People(2));

        var answer = await BatchAsync(BatchOf(conversations[0], people[0], conversations[1], people[1]));

        Assert.Equal([200, 200, 400, 400], answer.Json.AsArray().Select(item => item!["code"]!.GetValue<int>()));
        Assert.All(answer.Json.AsArray().Skip(2), item =>
            Assert.Equal(80006, JsonNode.Parse(item!["body"]!.GetValue<string>())!["error"]!["code"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Text_sends_are_limited_per_second_and_audio_and_video_have_their_own_allowance()
    {
        var person = (await PersonWritesAsync())["userId"]!.GetValue<string>();
        Server.Configure(new EmulatorRuntimeConfig(SendCallsPerSecond: 2, SendMediaCallsPerSecond: 1));

        var texts = new[] { await SendTextAsync(person), await SendTextAsync(person), await SendTextAsync(person) };
        var video = await SendVideoAsync(person);
        var secondVideo = await SendVideoAsync(person);
        Server.Clock.Advance(TimeSpan.FromSeconds(1));
        var nextSecond = await SendTextAsync(person);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], texts.Take(2).Select(t => t.Status));
        Assert.Equal("(#613) Calls to this api have exceeded the rate limit.", texts[2].AssertError(HttpStatusCode.BadRequest, 613)["message"]!.GetValue<string>());
        Assert.Null(texts[2].ErrorSubcode);
        var usage = JsonNode.Parse(texts[2].Headers["X-Business-Use-Case-Usage"])![Page.PageId]![0]!;
        Assert.Equal("""{"type":"messenger","call_count":100,"total_cputime":100,"total_time":100,"estimated_time_to_regain_access":1}""", usage.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, video.Status);
        secondVideo.AssertError(HttpStatusCode.BadRequest, 613);
        Assert.Equal(HttpStatusCode.OK, nextSecond.Status);
        Assert.Equal(4, Server.SentMessages.Count);
    }

    [Fact]
    public async Task An_instagram_send_over_the_limit_carries_subcode_2534040()
    {
        var person = (await PersonWritesAsync("instagram"))["userId"]!.GetValue<string>();
        Server.Configure(new EmulatorRuntimeConfig(SendCallsPerSecond: 1));

        await SendTextAsync(person);
        var refused = await SendTextAsync(person);

        refused.AssertError(HttpStatusCode.BadRequest, 613);
        Assert.Equal(2534040, refused.ErrorSubcode);
    }

    [Fact]
    public async Task Too_many_messages_to_one_thread_are_refused_while_other_threads_still_get_theirs()
    {
        var (one, other) = ((await PersonWritesAsync())["userId"]!.GetValue<string>(), (await PersonWritesAsync())["userId"]!.GetValue<string>());
        Server.Configure(new EmulatorRuntimeConfig(ThreadMessagesPerMinute: 2));

        var toOne = new[] { await SendTextAsync(one), await SendTextAsync(one), await SendTextAsync(one) };
        var typing = await SendMessageAsync(new { recipient = new { id = one }, sender_action = "typing_on" });
        var toOther = await SendTextAsync(other);
        Server.Clock.Advance(TimeSpan.FromMinutes(1));
        var aMinuteLater = await SendTextAsync(one);

        Assert.Equal([200, 200, 400], toOne.Select(a => (int)a.Status));
        toOne[2].AssertError(HttpStatusCode.BadRequest, 613);
        Assert.Equal(HttpStatusCode.OK, typing.Status);
        Assert.Equal(HttpStatusCode.OK, toOther.Status);
        Assert.Equal(HttpStatusCode.OK, aMinuteLater.Status);
    }

    [Fact]
    public async Task Metas_values_are_one_configuration_and_0_turns_each_off()
    {
        Server.Configure(EmulatorRuntimeConfig.MetaRateLimits);
        var on = Server.Runtime;
        Server.Configure(new EmulatorRuntimeConfig(RateLimitPerSecond: 0, ProfileCallsPerEngagedUser: 0, SendCallsPerSecond: 0,
            SendMediaCallsPerSecond: 0, ThreadMessagesPerMinute: 0));
        var off = Server.Runtime;

        Assert.Equal((2, 200, 300, 10, 60), (on.RateLimitPerSecond, on.ProfileCallsPerEngagedUser, on.SendCallsPerSecond, on.SendMediaCallsPerSecond,
            on.ThreadMessagesPerMinute));
        Assert.Equal(new int?[] { null, null, null, null, null, null },
            [off.RateLimitPerSecond, off.ProfileCallsPerDay, off.ProfileCallsPerEngagedUser, off.SendCallsPerSecond, off.SendMediaCallsPerSecond, off.ThreadMessagesPerMinute]);
    }

    private async Task<GraphAnswer> SendVideoAsync(string person) => await SendAttachmentAsync(person, "video", "https://cdn.example.invalid/clip.mp4");
}
