using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Configuration;
using Gateway.Execution;
using Gateway.Http;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Http;

/// <summary>What a browser app on another origin sees: CORS, compressed answers and raw UTF-8.</summary>
public sealed class BrowserClientTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    private const string AppOrigin = "https://inbox.example.com";

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_gets_204_with_methods_and_headers()
    {
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:Cors:AllowedOrigins:0"] = AppOrigin });

        using var response = await host.Client.SendAsync(Preflight(AppOrigin));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(AppOrigin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        var methods = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods"));
        Assert.Contains("POST", methods);
        Assert.Contains("GET", methods);
        var headers = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("authorization", headers);
        Assert.Contains("content-type", headers);
    }

    [Fact]
    public async Task A_query_from_an_allowed_origin_carries_the_allow_origin_header()
    {
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:Cors:AllowedOrigins:0"] = AppOrigin });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json") };
        request.Headers.Add("Origin", AppOrigin);

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AppOrigin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task Other_origins_and_the_default_configuration_get_no_cors_headers()
    {
        await using var configured = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:Cors:AllowedOrigins:0"] = AppOrigin });
        var unconfigured = await hosts.ForTestAsync();

        using var otherOrigin = await configured.Client.SendAsync(Preflight("https://evil.example.net"));
        using var byDefault = await unconfigured.Client.SendAsync(Preflight(AppOrigin));

        Assert.False(otherOrigin.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(byDefault.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Any_origin_is_allowed_without_credentials_and_refused_at_start_up_with_them()
    {
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:Cors:AllowedOrigins:0"] = "*" });
        using var preflight = await host.Client.SendAsync(Preflight(AppOrigin));
        var withCredentials = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        withCredentials.Configuration["Gateway:Cors:AllowedOrigins:0"] = "*";
        withCredentials.Configuration["Gateway:Cors:AllowCredentials"] = "true";

        Assert.Equal("*", Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Origin")));
        var error = Assert.Throws<InvalidSettingsException>(() => withCredentials.AddGatewayCors());
        Assert.Contains("Gateway:Cors:AllowCredentials", error.Message);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task GraphQL_answers_are_compressed_as_the_client_accepts(string encoding)
    {
        var host = await hosts.ForTestAsync();
        var body = System.Text.Json.JsonSerializer.Serialize(new { query = GatewayHost.Operation("inbox"), variables = new { pageId = host.Page.PageId, conversations = 20 } });
        using var plainRequest = GraphQLPost(host, body, encoding: null);
        using var compressedRequest = GraphQLPost(host, body, encoding);

        using var plain = await host.Client.SendAsync(plainRequest);
        using var compressed = await host.Client.SendAsync(compressedRequest);

        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(encoding, Assert.Single(compressed.Content.Headers.ContentEncoding));
        var compressedBytes = await compressed.Content.ReadAsByteArrayAsync();
        var expected = await plain.Content.ReadAsStringAsync();
        Assert.Equal(expected, Decompress(compressedBytes, encoding));
        Assert.True(compressedBytes.Length * 2 < Encoding.UTF8.GetByteCount(expected), $"{compressedBytes.Length} compressed bytes of {expected.Length}");
    }

    [Fact]
    public async Task The_ide_assets_are_compressed()
    {
        var host = await hosts.ForTestAsync();
        using var index = await host.Client.SendAsync(Get("/graphql/", "text/html", "br"));
        var html = Decompress(await index.Content.ReadAsByteArrayAsync(), "br");
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"([^\"]+\\.js)\"").Groups[1].Value.TrimStart('.', '/');

        using var asset = await host.Client.SendAsync(Get("/graphql/" + script, "*/*", "gzip"));

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("br", Assert.Single(index.Content.Headers.ContentEncoding));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("gzip", Assert.Single(asset.Content.Headers.ContentEncoding));
        Assert.Contains("function", Decompress(await asset.Content.ReadAsByteArrayAsync(), "gzip"));
    }

    [Fact]
    public async Task Emoji_and_other_text_come_back_as_raw_UTF8()
    {
        var host = await hosts.ForTestAsync();
        var query = $$"""{ page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 2) { nodes { snippet messages(first: 2) { nodes { from { name } message } } } } } }""";
        var body = System.Text.Json.JsonSerializer.Serialize(new { query });
        using var request = GraphQLPost(host, body, encoding: null);

        using var response = await host.Client.SendAsync(request);

        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("Hello! Yes, it is 😊", text);
        Assert.Contains("Zoë Ålander", text);
        Assert.Contains("שלום", text);
        Assert.DoesNotContain("\\u", text);
    }

    [Fact]
    public async Task Json_escapes_only_quotes_backslashes_and_control_characters()
    {
        var text = System.Text.Json.JsonSerializer.Serialize("😊 <a href=\"x\">&</a> \\ \n\u0001",
            new System.Text.Json.JsonSerializerOptions { Encoder = MinimalJsonEscaping.Instance });

        Assert.Equal("\"😊 <a href=\\\"x\\\">&</a> \\\\ \\n\\u0001\"", text);
    }

    [Fact]
    public void A_lone_surrogate_such_as_half_an_emoji_in_a_cut_snippet_still_makes_valid_json()
    {
        var text = System.Text.Json.JsonSerializer.Serialize(new { snippet = "cut \uD83D", message = "😊\uDE0A" },
            new System.Text.Json.JsonSerializerOptions { Encoder = MinimalJsonEscaping.Instance });

        var parsed = System.Text.Json.JsonDocument.Parse(text).RootElement;
        Assert.Equal("cut \uFFFD", parsed.GetProperty("snippet").GetString());
        Assert.Equal("😊\uFFFD", parsed.GetProperty("message").GetString());
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/graphql");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    private static HttpRequestMessage GraphQLPost(GatewayHost host, string body, string? encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Page.AccessToken);
        if (encoding is not null)
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        }
        return request;
    }

    private static HttpRequestMessage Get(string path, string accept, string encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        return request;
    }

    private static string Decompress(byte[] bytes, string encoding)
    {
        using var input = new MemoryStream(bytes);
        using Stream decompressor = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(decompressor, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
