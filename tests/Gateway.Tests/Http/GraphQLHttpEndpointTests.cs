using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Http;

/// <summary>The endpoint's HTTP behaviour beyond what the spec audit covers: limits, methods, the IDE and the SDL.</summary>
public sealed class GraphQLHttpEndpointTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    [Theory]
    [InlineData("text/plain", "{\"query\":\"{ __typename }\"}", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", "{\"query\":", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "[1,2]", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "{\"query\":42}", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "{\"query\":\"{ __typename }\",\"variables\":[]}", HttpStatusCode.BadRequest)]
    [InlineData("application/json; charset=latin1", "{\"query\":\"{ __typename }\"}", HttpStatusCode.UnsupportedMediaType)]
    public async Task Bad_requests_get_a_spec_shaped_4xx_and_no_stack_trace(string contentType, string body, HttpStatusCode status)
    {
        var host = await hosts.ForTestAsync();

        using var response = await host.Client.PostAsync("/graphql", new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType)));

        Assert.Equal(status, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("{\"errors\":[{\"message\":", text);
        Assert.DoesNotContain("   at ", text);
    }

    [Fact]
    public async Task A_ten_megabyte_body_is_refused_with_413_and_the_process_stays_healthy()
    {
        var host = await hosts.ForTestAsync();
        var body = "{\"query\":\"{ __typename }\",\"variables\":{\"x\":\"" + new string('a', 10 * 1024 * 1024) + "\"}}";

        // Expect: 100-continue lets the server refuse before the client sends 10 MB into a closed connection.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True((await host.Client.GetAsync("/health/live")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Get_runs_queries_and_refuses_mutations_with_405()
    {
        var host = await hosts.ForTestAsync();

        using var query = await host.Client.GetAsync("/graphql?query=" + Uri.EscapeDataString("{ __typename }"));
        using var mutation = await host.Client.GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { x }"));

        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal("{\"data\":{\"__typename\":\"Query\"}}", await query.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.StatusCode);
        Assert.Contains("POST", mutation.Content.Headers.Allow);
    }

    /// <summary>What urql (<c>@urql/core</c> 6) sends with every operation by default.</summary>
    private const string UrqlAccept = "application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed";

    [Theory]
    [InlineData("POST")]
    [InlineData("GET")]
    public async Task A_query_is_answered_in_json_when_the_client_accepts_json_and_an_event_stream(string method)
    {
        var host = await hosts.ForTestAsync();
        using var request = method == "POST"
            ? new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("{\"query\":\"{ __typename }\"}", Encoding.UTF8, "application/json") }
            : new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString("{ __typename }"));
        request.Headers.Accept.ParseAdd(UrqlAccept);

        using var response = await host.Client.SendAsync(request);

        Assert.Equal("application/graphql-response+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"data\":{\"__typename\":\"Query\"}}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_query_is_answered_as_an_event_stream_when_the_client_accepts_nothing_else()
    {
        var host = await hosts.ForTestAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("{\"query\":\"{ __typename }\"}", Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await host.Client.SendAsync(request);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("event: next\ndata: {\"data\":{\"__typename\":\"Query\"}}\n\nevent: complete\ndata: \n\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_subscription_is_answered_as_an_event_stream_when_the_client_accepts_json_and_an_event_stream()
    {
        var host = await hosts.ForTestAsync();
        var body = JsonSerializer.Serialize(new { query = $"subscription {{ messageReceived(pageId: \"{host.Page.PageId}\") {{ id }} }}" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd(UrqlAccept);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Page.AccessToken);

        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_bare_get_from_curl_is_told_what_to_send_and_that_browsers_get_the_ide_here()
    {
        var host = await hosts.ForTestAsync();

        using var response = await host.Client.GetAsync("/graphql");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.At("errors.0")!;
        Assert.Equal("QUERY_MISSING", error.At("extensions.code")!.GetValue<string>());
        Assert.Contains("Banana Cake Pop", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_mutation_field_the_schema_lacks_is_told_so()
    {
        var host = await hosts.ForTestAsync();

        var answer = JsonNode.Parse(await (await SendAsync(host, "mutation { x }", "application/graphql-response+json")).Content.ReadAsStringAsync())!;

        Assert.Equal("FIELDS_ON_CORRECT_TYPE", answer.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Contains("'x' on type 'Mutation'", answer.At("errors.0.message")!.GetValue<string>());
    }

    [Fact]
    public async Task Validation_errors_are_400_under_graphql_response_json_and_200_under_json()
    {
        var host = await hosts.ForTestAsync();

        var strict = await SendAsync(host, "{ nope }", "application/graphql-response+json");
        var legacy = await SendAsync(host, "{ nope }", "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        Assert.Equal("application/graphql-response+json", strict.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.Equal("application/json", legacy.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("\"data\"", await strict.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Operation_name_selects_the_operation()
    {
        var host = await hosts.ForTestAsync();

        using var response = await host.Client.PostAsync("/graphql", new StringContent(
            "{\"query\":\"query A { a: __typename } query B { b: __typename }\",\"operationName\":\"B\"}", Encoding.UTF8, "application/json"));

        Assert.Equal("{\"data\":{\"b\":\"Query\"}}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Browsers_get_banana_cake_pop_self_hosted_and_pointed_at_this_endpoint()
    {
        var host = await hosts.ForTestAsync();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = true }) { BaseAddress = host.Client.BaseAddress };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        using var page = await browser.GetAsync("/graphql");
        var html = await page.Content.ReadAsStringAsync();
        var config = await browser.GetStringAsync("/graphql/bcp-config.json");

        Assert.Equal("/graphql/", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("<title>Banana Cake Pop</title>", html);
        Assert.DoesNotContain("cdn", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"useBrowserUrlAsEndpoint\":true", config);
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(static/js/main[^\"]+)\"").Groups[1].Value;
        using var asset = await browser.GetAsync("/graphql/" + script);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Contains("immutable", asset.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Sdl_is_served_as_application_graphql()
    {
        var host = await hosts.ForTestAsync();

        using var response = await host.Client.GetAsync("/graphql?sdl");

        Assert.Equal("application/graphql", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("type Conversation implements Node @key(fields: \"id\") @key(fields: \"metaId\")", await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> SendAsync(GatewayHost host, string query, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent($"{{\"query\":\"{query}\"}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd(accept);
        return await host.Client.SendAsync(request);
    }
}
