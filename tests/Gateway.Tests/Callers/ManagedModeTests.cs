using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests.Callers;

/// <summary>Managed mode: Page tokens stay on the server; callers authenticate with an API key or a JWT and read only
/// the Pages their identity lists.</summary>
public sealed class ManagedModeTests
{
    private const string ApiKey = "crm-key-0123456789abcdef";
    private static readonly string SigningKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static Task<GatewayHost> StartAsync(string apiKeyPage) => GatewayHost.StartAsync(configurePages: true, settings: new Dictionary<string, string?>
    {
        ["Gateway:Auth:Required"] = "true",
        ["Gateway:Auth:ApiKeys:crm:Key"] = ApiKey,
        ["Gateway:Auth:ApiKeys:crm:Pages:0"] = apiKeyPage,
        ["Gateway:Auth:Jwt:SigningKey"] = SigningKey,
        ["Gateway:Auth:Jwt:Issuer"] = "https://id.example.test",
        ["Gateway:Auth:Jwt:Audience"] = "meta-gateway",
    });

    [Fact]
    public async Task Without_credentials_graphql_answers_401()
    {
        await using var host = await StartAsync("104000000000001");

        using var anonymous = await host.Client.PostAsJsonAsync("/graphql", new { query = "{ __typename }" });
        using var wrongKey = await SendAsync(host, "{ __typename }", request => request.Headers.Add("X-Api-Key", "nope"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Contains("AUTH_NOT_AUTHENTICATED", await anonymous.Content.ReadAsStringAsync());
        Assert.Empty(host.UpstreamCalls);
    }

    [Fact]
    public async Task Get_with_only_a_persisted_document_id_or_an_automatic_persisted_query_hash_needs_credentials_too()
    {
        const string query = "{ __schema { queryType { name } } }";
        var hash = Gateway.Execution.PersistedOperations.Sha256Hex(query);
        var trusted = Directory.CreateTempSubdirectory("trusted-documents-");
        await File.WriteAllTextAsync(Path.Combine(trusted.FullName, hash + ".graphql"), query);
        await using var host = await GatewayHost.StartAsync(configurePages: true, settings: new Dictionary<string, string?>
        {
            ["Gateway:Auth:Required"] = "true",
            ["Gateway:Auth:ApiKeys:crm:Key"] = ApiKey,
            ["Gateway:Auth:ApiKeys:crm:Pages:0"] = "104000000000001",
            ["Gateway:PersistedOperations:Directory"] = trusted.FullName,
        });
        var extensions = Uri.EscapeDataString($$$"""{"persistedQuery":{"version":1,"sha256Hash":"{{{hash}}}"}}""");

        using var byId = await host.Client.GetAsync($"/graphql?id={hash}");
        using var byDocumentId = await host.Client.GetAsync($"/graphql?documentId=sha256:{hash}");
        using var byHash = await host.Client.GetAsync($"/graphql?extensions={extensions}");
        using var withKey = new HttpRequestMessage(HttpMethod.Get, $"/graphql?id={hash}");
        withKey.Headers.Add("X-Api-Key", ApiKey);
        using var authenticated = await host.Client.SendAsync(withKey);

        Assert.Equal(HttpStatusCode.Unauthorized, byId.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, byDocumentId.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, byHash.StatusCode);
        Assert.DoesNotContain("Query", await byId.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, authenticated.StatusCode);
        Assert.Contains("\"name\":\"Query\"", await authenticated.Content.ReadAsStringAsync());
        trusted.Delete(recursive: true);
    }

    [Fact]
    public async Task An_api_key_reads_its_page_and_is_refused_another()
    {
        await using var host = await StartAsync("104000000000001");
        var (mine, theirs) = (host.Emulator.Seed[0].PageId, host.Emulator.Seed[1].PageId);

        var allowed = await QueryPageAsync(host, mine, request => request.Headers.Add("X-Api-Key", ApiKey));
        var refused = await QueryPageAsync(host, theirs, request => request.Headers.Add("X-Api-Key", ApiKey));

        Assert.Null(allowed["errors"]);
        Assert.NotEmpty(allowed.At("data.page.conversations.nodes")!.AsArray());
        Assert.Equal("META_PERMISSION_DENIED", refused.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Null(refused.At("data.page.conversations"));
        Assert.DoesNotContain(host.UpstreamCalls, call => call.Path.Contains(theirs));
    }

    [Fact]
    public async Task A_jwt_reads_the_pages_in_its_claims()
    {
        await using var host = await StartAsync("104000000000001");
        var (first, second) = (host.Emulator.Seed[0].PageId, host.Emulator.Seed[1].PageId);
        var jwt = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://id.example.test",
            Audience = "meta-gateway",
            Subject = new ClaimsIdentity([new Claim("sub", "inbox-frontend"), new Claim("pages", second)]),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(SigningKey)), SecurityAlgorithms.HmacSha256),
        });

        var allowed = await QueryPageAsync(host, second, request => request.Headers.Authorization = new("Bearer", jwt));
        var refused = await QueryPageAsync(host, first, request => request.Headers.Authorization = new("Bearer", jwt));

        Assert.Null(allowed["errors"]);
        Assert.Equal("META_PERMISSION_DENIED", refused.At("errors.0.extensions.code")!.GetValue<string>());
    }

    private static async Task<JsonNode> QueryPageAsync(GatewayHost host, string pageId, Action<HttpRequestMessage> authenticate)
    {
        using var response = await SendAsync(host, $$"""{ page(id: "{{pageId}}") { conversations(platform: MESSENGER, first: 2) { nodes { id } } } }""", authenticate);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static Task<HttpResponseMessage> SendAsync(GatewayHost host, string query, Action<HttpRequestMessage> authenticate)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query }) };
        authenticate(request);
        return host.Client.SendAsync(request);
    }
}
