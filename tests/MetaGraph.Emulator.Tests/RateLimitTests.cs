using System.Net;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>Per-Page call windows. Each id of <c>ids=</c> counts as a call, so one request can exceed the limit
/// deterministically, without racing the clock.</summary>
public sealed class RateLimitTests : EmulatorTest
{
    protected override EmulatorOptions Options => new() { RateLimitPerSecond = 2 };

    private string ThreeIds => string.Join(',', PageData.Conversations.Take(3).Select(c => c.Id));

    [Fact]
    public async Task Over_the_limit_a_call_fails_with_80006_and_parsable_usage_headers()
    {
        var answer = await GetAsync($"?ids={ThreeIds}");

        var error = answer.AssertError(HttpStatusCode.BadRequest, 80006);
        Assert.Equal("OAuthException", error["type"]!.GetValue<string>());
        var usage = JsonNode.Parse(answer.Headers["X-Business-Use-Case-Usage"])![Page.PageId]![0]!;
        Assert.Equal("messenger", usage["type"]!.GetValue<string>());
        Assert.Equal(100, usage["call_count"]!.GetValue<int>());
        Assert.True(usage["estimated_time_to_regain_access"]!.GetValue<int>() > 0);
        Assert.Equal(100, JsonNode.Parse(answer.Headers["X-App-Usage"])!["call_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Within_the_limit_calls_report_their_share_of_it()
    {
        var answer = await GetAsync(PageData.Conversations[0].Id);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var usage = JsonNode.Parse(answer.Headers["X-Business-Use-Case-Usage"])![Page.PageId]![0]!.AsObject();
        Assert.Equal(["type", "call_count", "total_cputime", "total_time", "estimated_time_to_regain_access"], usage.Select(p => p.Key));
        Assert.InRange(usage["call_count"]!.GetValue<int>(), 50, 100);
        Assert.Equal(0, usage["estimated_time_to_regain_access"]!.GetValue<int>());
        Assert.Equal(["call_count", "total_time", "total_cputime"], JsonNode.Parse(answer.Headers["X-App-Usage"])!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Each_batch_item_counts_and_items_over_the_limit_fail_alone()
    {
        var answer = await BatchAsync(BatchOf(PageData.Conversations.Take(3).Select(c => c.Id).ToArray()));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(400, answer.Json[2]!["code"]!.GetValue<int>());
        Assert.Equal(80006, JsonNode.Parse(answer.Json[2]!["body"]!.GetValue<string>())!["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Limits_are_per_page()
    {
        var other = Server.Data.Pages[1];
        await GetAsync($"?ids={string.Join(',', PageData.Conversations.Take(2).Select(c => c.Id))}");

        var answer = await GetAsync($"?ids={string.Join(',', other.Conversations.Take(2).Select(c => c.Id))}", other.AccessToken);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task Turning_the_limit_off_removes_errors_and_headers()
    {
        Server.Configure(new EmulatorRuntimeConfig(RateLimitPerSecond: 0));

        var answer = await GetAsync($"?ids={ThreeIds}");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.False(answer.Headers.ContainsKey("X-App-Usage"));
    }
}

public sealed class FaultTests : EmulatorTest
{
    protected override EmulatorOptions Options => new() { FaultRate = 1.0 };

    [Fact]
    public async Task A_fault_rate_of_one_fails_every_call_with_a_transient_error()
    {
        var answers = new List<GraphAnswer>();
        for (var i = 0; i < 12; i++)
        {
            answers.Add(await GetAsync(Page.PageId));
        }

        Assert.All(answers, answer =>
        {
            Assert.True(answer.Status is HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable, answer.Body);
            GraphAnswer.AssertGraphErrorShape(answer.Json);
            Assert.True(answer.Error["is_transient"]!.GetValue<bool>());
            Assert.Equal(answer.Status == HttpStatusCode.InternalServerError ? 2 : 1, answer.ErrorCode);
        });
        Assert.Contains(answers, a => a.Status == HttpStatusCode.InternalServerError);
        Assert.Contains(answers, a => a.Status == HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task The_fault_sequence_is_the_same_for_the_same_seed()
    {
        Server.Configure(new EmulatorRuntimeConfig(FaultRate: 0.5));
        await using var twin = await EmulatorServer.StartAsync(Options with { FaultRate = 0.5 });
        using var twinHttp = new HttpClient { BaseAddress = twin.BaseAddress };

        var statuses = new List<int>();
        var twinStatuses = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            statuses.Add((int)(await GetAsync(Page.PageId)).Status);
            twinStatuses.Add((int)(await twinHttp.GetAsync($"{Version}/{Page.PageId}?access_token={Page.AccessToken}")).StatusCode);
        }

        Assert.Equal(statuses, twinStatuses);
        Assert.Contains(200, statuses);
        Assert.Contains(statuses, s => s >= 500);
    }
}
