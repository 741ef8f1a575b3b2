using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Limits;

/// <summary>No answer is much larger than its request plus the data it returns: representations and errors are capped,
/// and one failure shared by many fields is reported once.</summary>
public sealed class AnswerSizeTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    private const string Entities = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Message { id message } } }";

    [Fact]
    public async Task Twenty_thousand_entity_representations_get_a_small_refusal_and_no_graph_call()
    {
        var host = await hosts.ForTestAsync();
        var representations = Enumerable.Range(0, 20_000).Select(i => new { __typename = "Message", id = $"m_{i:D12}" });

        var (status, request, answer) = await PostAsync(host, new { query = Entities, variables = new { r = representations } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = Assert.Single(JsonNode.Parse(answer)!["errors"]!.AsArray());
        Assert.Equal("MAX_REPRESENTATIONS_EXCEEDED", error.At("extensions.code")!.GetValue<string>());
        Assert.InRange(answer.Length, 1, 1_000);
        Assert.True(request > 800_000, $"the request was {request} bytes");
        Assert.Empty(host.UpstreamCalls);
    }

    [Fact]
    public async Task Past_the_error_cap_one_error_counts_the_rest_and_no_location_repeats()
    {
        var host = await hosts.ForTestAsync();
        var representations = Enumerable.Range(0, 1000).Select(i => new { __typename = "Message", id = $"m_missing{i}" });

        var (status, request, answer) = await PostAsync(host, new { query = Entities, variables = new { r = representations } });

        Assert.Equal(HttpStatusCode.OK, status);
        var body = JsonNode.Parse(answer)!;
        var errors = body["errors"]!.AsArray();
        Assert.Equal(101, errors.Count);
        Assert.Equal("ERRORS_TRUNCATED", errors[^1].At("extensions.code")!.GetValue<string>());
        Assert.Equal(900, errors[^1].At("extensions.omitted")!.GetValue<int>());
        Assert.All(errors, e => Assert.True((e!["locations"]?.AsArray().Count ?? 0) <= 1, e!.ToJsonString()));
        var data = body["data"]!.ToJsonString().Length;
        Assert.True(answer.Length <= 2 * request + data, $"answer {answer.Length} bytes, request {request}, data {data}");
    }

    [Fact]
    public async Task One_failure_shared_by_a_batch_is_one_error_per_field_each_with_its_path_and_one_location()
    {
        // A budget of no calls fails the one batch that would read all 30 messages, with one error.
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:Budget:MaxUpstreamCallsPerOperation"] = "0" });
        var representations = Enumerable.Range(0, 30).Select(i => new { __typename = "Message", id = $"m_{i}" });

        var (_, _, answer) = await PostAsync(host, new { query = Entities, variables = new { r = representations } });

        var errors = JsonNode.Parse(answer)!["errors"]!.AsArray();
        Assert.Equal(30, errors.Count);
        Assert.All(errors, e => Assert.Equal("UPSTREAM_BUDGET_EXCEEDED", e.At("extensions.code")!.GetValue<string>()));
        Assert.All(errors, e => Assert.Single(e!["locations"]!.AsArray()));
        Assert.Equal(Enumerable.Range(0, 30), errors.Select(e => e.At("path.1")!.GetValue<int>()).Order());
    }

    private static async Task<(HttpStatusCode Status, long RequestBytes, string Answer)> PostAsync(GatewayHost host, object body)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(body) };
        message.Headers.Authorization = new("Bearer", host.Page.AccessToken);
        message.Headers.Accept.ParseAdd("application/graphql-response+json");
        await message.Content.LoadIntoBufferAsync();
        var requestBytes = message.Content.Headers.ContentLength ?? 0;
        using var response = await host.Client.SendAsync(message);
        return (response.StatusCode, requestBytes, await response.Content.ReadAsStringAsync());
    }
}
