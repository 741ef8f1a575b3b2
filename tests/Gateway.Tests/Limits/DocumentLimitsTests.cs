using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Limits;

/// <summary>Documents larger than any real operation are refused after parsing and before validation, whose cost grows
/// faster than the document (the timings are in the benchmark harness's abuse scenario, not here).</summary>
public sealed class DocumentLimitsTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    [Fact]
    public async Task Three_thousand_fields_are_refused_before_validation_with_a_code()
    {
        var host = await hosts.ForTestAsync();
        var query = "{ " + string.Join(" ", Enumerable.Range(0, 3000).Select(i => $"f{i}: __typename")) + " }";

        var (status, body) = await PostAsync(host, query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = Assert.Single(body["errors"]!.AsArray());
        Assert.Equal("MAX_FIELDS_EXCEEDED", error.At("extensions.code")!.GetValue<string>());
        Assert.Equal(2048, error.At("extensions.maxFields")!.GetValue<int>());
        Assert.Null(body["data"]);
    }

    [Fact]
    public async Task A_megabyte_of_repeated_typename_is_refused_with_a_code()
    {
        var host = await hosts.ForTestAsync();
        var query = new StringBuilder("{ ");
        while (query.Length < 1_000_000)
        {
            query.Append("__typename ");
        }
        query.Append('}');

        var (status, body) = await PostAsync(host, query.ToString());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("DOCUMENT_TOO_LARGE", Assert.Single(body["errors"]!.AsArray()).At("extensions.code")!.GetValue<string>());
        Assert.True((await host.Client.GetAsync("/health/live")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Thousands_of_directives_on_one_field_are_too_many_tokens()
    {
        var host = await hosts.ForTestAsync();
        var query = "{ __typename " + string.Concat(Enumerable.Repeat("@skip(if: false) ", 5000)) + "}";

        var (status, body) = await PostAsync(host, query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = Assert.Single(body["errors"]!.AsArray());
        Assert.Equal("DOCUMENT_TOO_LARGE", error.At("extensions.code")!.GetValue<string>());
        Assert.Equal(20_000, error.At("extensions.maxTokens")!.GetValue<int>());
    }

    [Fact]
    public async Task The_limits_are_configurable_and_a_refused_document_is_not_cached()
    {
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:Limits:MaxFields"] = "2" });

        var (refusedStatus, refused) = await PostAsync(host, "{ a: __typename b: __typename c: __typename }");
        var (againStatus, _) = await PostAsync(host, "{ a: __typename b: __typename c: __typename }");
        var (allowedStatus, allowed) = await PostAsync(host, "{ a: __typename b: __typename }");

        Assert.Equal(HttpStatusCode.BadRequest, refusedStatus);
        Assert.Equal("MAX_FIELDS_EXCEEDED", refused.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, againStatus);
        Assert.Equal(HttpStatusCode.OK, allowedStatus);
        Assert.Equal("Query", allowed.At("data.b")!.GetValue<string>());
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(GatewayHost host, string query)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query }) };
        message.Headers.Accept.ParseAdd("application/graphql-response+json");
        using var response = await host.Client.SendAsync(message);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
