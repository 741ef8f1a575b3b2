using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

public sealed class DiagnosticsTests : EmulatorTest
{
    [Fact]
    public async Task Seed_lists_the_pages_with_tokens_and_inbox_counts()
    {
        var seed = JsonNode.Parse(await Http.GetStringAsync("_emulator/seed"))!.AsArray();

        Assert.Equal(2, seed.Count);
        Assert.Equal(["pageId", "accessToken", "instagramAccountId", "conversations"], seed[0]!.AsObject().Select(p => p.Key));
        Assert.Equal("""{"messenger":24,"instagram":24}""", seed[0]!["conversations"]!.ToJsonString());
        Assert.Equal(Page.AccessToken, seed[0]!["accessToken"]!.GetValue<string>());
        Assert.NotEqual(seed[0]!["accessToken"]!.GetValue<string>(), seed[1]!["accessToken"]!.GetValue<string>());
        Assert.NotEqual(seed[0]!["pageId"]!.GetValue<string>(), seed[1]!["pageId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_request_log_records_graph_requests_with_redacted_tokens_and_resets()
    {
        await GetAsync($"{Page.PageId}/conversations?limit=1");
        await BatchAsync(BatchOf($"{Page.PageId}?access_token={Page.AccessToken}", "t_1"));
        await Http.GetStringAsync("_emulator/seed");

        var log = JsonNode.Parse(await Http.GetStringAsync("_emulator/requests"))!;
        var reset = await Http.DeleteAsync("_emulator/requests");
        var afterReset = JsonNode.Parse(await Http.GetStringAsync("_emulator/requests"))!;

        Assert.Equal(2, log["count"]!.GetValue<int>());
        var get = log["requests"]![0]!;
        Assert.Equal(["method", "path", "query", "at"], get.AsObject().Select(p => p.Key));
        Assert.Equal("GET", get["method"]!.GetValue<string>());
        Assert.Equal($"/{Version}/{Page.PageId}/conversations", get["path"]!.GetValue<string>());
        Assert.Equal("?limit=1&access_token=***", get["query"]!.GetValue<string>());
        var batch = log["requests"]![1]!;
        Assert.Equal("POST", batch["method"]!.GetValue<string>());
        Assert.Equal([$"{Page.PageId}?access_token=***", "t_1"], batch["batch"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.DoesNotContain(Page.AccessToken, log.ToJsonString());
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(0, afterReset["count"]!.GetValue<int>());
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task The_server_exposes_the_same_log()
    {
        await GetAsync(Page.PageId);

        var request = Assert.Single(Server.Requests);
        Assert.Equal(new RecordedRequest("GET", $"/{Version}/{Page.PageId}", "?access_token=***", null, request.At), request);
        Server.ResetRequests();
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task Config_changes_behaviour_at_run_time_and_keeps_what_it_does_not_name()
    {
        var limited = await Http.PostAsJsonAsync("_emulator/config", new { rateLimitPerSecond = 1, latencyMs = 5 });
        var faulty = await Http.PostAsJsonAsync("_emulator/config", new { faultRate = 1.0 });

        Assert.Equal("""{"latencyMs":5,"faultRate":0,"rateLimitPerSecond":1,"latencyJitterMs":0,"webhookUrl":null,"webhookDuplicateRate":0,"webhookReorder":false,"webhookMaxAttempts":5,"webhookRetryDelayMs":500,"profileCallsPerDay":null,"profileCallsPerEngagedUser":null,"sendCallsPerSecond":null,"sendMediaCallsPerSecond":null,"threadMessagesPerMinute":null,"sendAnswerLoss":null}""", await limited.Content.ReadAsStringAsync());
        Assert.Equal("""{"latencyMs":5,"faultRate":1,"rateLimitPerSecond":1,"latencyJitterMs":0,"webhookUrl":null,"webhookDuplicateRate":0,"webhookReorder":false,"webhookMaxAttempts":5,"webhookRetryDelayMs":500,"profileCallsPerDay":null,"profileCallsPerEngagedUser":null,"sendCallsPerSecond":null,"sendMediaCallsPerSecond":null,"threadMessagesPerMinute":null,"sendAnswerLoss":null}""", await faulty.Content.ReadAsStringAsync());
        Assert.True((int)(await GetAsync(Page.PageId)).Status >= 500);

        await Http.PostAsJsonAsync("_emulator/config", new { faultRate = 0, rateLimitPerSecond = 0, latencyMs = 0 });
        var answer = await GetAsync(PageData.Conversations[0].Id);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.False(answer.Headers.ContainsKey("X-App-Usage"));
    }

    [Theory]
    [InlineData("""{"faultRate":2}""")]
    [InlineData("""{"latencyMs":-1}""")]
    [InlineData("""{"latencyMs":"slow"}""")]
    [InlineData("not json")]
    public async Task Bad_config_is_refused_with_a_json_error(string body)
    {
        var response = await Http.PostAsync("_emulator/config", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]);
    }

    [Fact]
    public async Task Latency_delays_graph_calls()
    {
        Server.Configure(new EmulatorRuntimeConfig(LatencyMs: 150));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await GetAsync(Page.PageId);

        Assert.True(clock.ElapsedMilliseconds >= 140, $"{clock.ElapsedMilliseconds} ms");
    }
}

public sealed class DeterminismTests
{
    [Fact]
    public async Task Two_servers_with_the_same_seed_serve_the_same_data()
    {
        await using var one = await EmulatorServer.StartAsync(new EmulatorOptions());
        await using var two = await EmulatorServer.StartAsync(new EmulatorOptions());
        using var http = new HttpClient();

        var seed = await http.GetStringAsync(new Uri(one.BaseAddress, "_emulator/seed"));
        Assert.Equal(seed, await http.GetStringAsync(new Uri(two.BaseAddress, "_emulator/seed")));

        var token = one.Seed[0].AccessToken;
        var listing = $"v25.0/{one.Seed[0].PageId}/conversations?platform=instagram&limit=50&access_token={token}" +
            "&fields=id,updated_time,snippet,participants,messages.limit(25){id,created_time,from,to,message,attachments,sticker,reply_to,tags}";
        var first = await http.GetStringAsync(new Uri(one.BaseAddress, listing));
        var second = await http.GetStringAsync(new Uri(two.BaseAddress, listing));
        Assert.Equal(first.Replace(one.BaseAddress.Authority, "host"), second.Replace(two.BaseAddress.Authority, "host"));
    }

    [Fact]
    public async Task Another_seed_gives_other_data()
    {
        await using var one = await EmulatorServer.StartAsync(new EmulatorOptions());
        await using var two = await EmulatorServer.StartAsync(new EmulatorOptions { Seed = 7 });

        Assert.NotEqual(one.Seed[0].AccessToken, two.Seed[0].AccessToken);
        Assert.NotEqual(one.Data.Pages[0].Conversations[0].Id, two.Data.Pages[0].Conversations[0].Id);
    }
}

public sealed class LifetimeTests
{
    /// <summary>Hosts dispose what they were given, and tests sometimes dispose it early too.</summary>
    [Fact]
    public async Task A_server_may_be_disposed_twice()
    {
        var server = await EmulatorServer.StartAsync(new EmulatorOptions());

        await server.DisposeAsync();
        await server.DisposeAsync();
    }
}
