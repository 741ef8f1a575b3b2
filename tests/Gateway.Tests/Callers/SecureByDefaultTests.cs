using System.Net;
using System.Net.Http.Json;
using Gateway.Configuration;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Callers;

/// <summary>In Production with Page tokens on the server, callers authenticate unless an operator explicitly says not to;
/// the check follows the endpoint wherever it is configured.</summary>
public sealed class SecureByDefaultTests
{
    private const string ApiKey = "crm-key-0123456789abcdef";

    [Fact]
    public async Task In_production_with_server_side_tokens_anonymous_callers_get_401()
    {
        await using var host = await GatewayHost.StartAsync(environment: "Production", configurePages: true, settings: new Dictionary<string, string?>
        {
            ["Gateway:Auth:ApiKeys:crm:Key"] = ApiKey,
            ["Gateway:Auth:ApiKeys:crm:Pages:0"] = "104000000000001",
        });

        using var anonymous = await host.Client.PostAsJsonAsync("/graphql", new { query = PageQuery(host) });
        using var withKey = await PostAsync(host, "/graphql", PageQuery(host), ApiKey);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Contains("\"conversations\":{\"nodes\":[{", await withKey.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task In_production_with_server_side_tokens_and_no_way_to_authenticate_start_up_says_what_to_set()
    {
        // Its own process, as an operator starts it: in-process, the test host's start-up races its own disposal on failure.
        var run = await GatewayProcess.RunCommandAsync(["--urls", $"http://127.0.0.1:{FreePorts.Next()}"], GatewayProcess.Environment(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // Never called: start-up stops before any Graph call.
            ["Meta:GraphApiBaseUrl"] = "http://127.0.0.1:9",
            ["Meta:Pages:104000000000001:AccessToken"] = "EAAB-page-token-never-printed",
        }), TimeSpan.FromSeconds(90));

        Assert.Equal(ConfigurationFailure.ExitCode, run.ExitCode);
        Assert.Contains("Gateway:Auth:Required=false", run.Errors);
        Assert.DoesNotContain("EAAB-page-token-never-printed", run.Output + run.Errors);
    }

    [Fact]
    public async Task An_explicit_required_false_leaves_production_open_and_warns_at_start_up()
    {
        await using var host = await GatewayHost.StartAsync(environment: "Production", configurePages: true,
            settings: new Dictionary<string, string?> { ["Gateway:Auth:Required"] = "false" });

        using var anonymous = await host.Client.PostAsJsonAsync("/graphql", new { query = PageQuery(host) });

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Contains(host.Logs.Lines, line => line.StartsWith("Warning") && line.Contains("Gateway:Auth:Required=false"));
    }

    [Fact]
    public async Task With_the_endpoint_moved_unauthenticated_callers_still_get_401()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true, settings: new Dictionary<string, string?>
        {
            ["GraphQL:Http:Path"] = "/api/inbox",
            ["Gateway:Auth:Required"] = "true",
            ["Gateway:Auth:ApiKeys:crm:Key"] = ApiKey,
            ["Gateway:Auth:ApiKeys:crm:Pages:0"] = "104000000000001",
        });

        using var anonymous = await host.Client.PostAsJsonAsync("/api/inbox", new { query = PageQuery(host) });
        using var withKey = await PostAsync(host, "/api/inbox", PageQuery(host), ApiKey);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("AUTH_NOT_AUTHENTICATED", await anonymous.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Single(host.UpstreamCalls);
    }

    private static string PageQuery(GatewayHost host) => $$"""{ page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 1) { nodes { id } } } }""";

    private static async Task<HttpResponseMessage> PostAsync(GatewayHost host, string path, string query, string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { query }) };
        request.Headers.Add("X-Api-Key", apiKey);
        return await host.Client.SendAsync(request);
    }
}
