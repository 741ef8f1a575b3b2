using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Federation;

/// <summary>
/// <c>schema/schema.graphql</c> composed by both composers (Apollo's <c>@apollo/composition</c> and The Guild's
/// <c>@theguild/federation-composition</c>), each supergraph served by both routers (Apollo Gateway and Hive Gateway),
/// querying across this subgraph and a CRM subgraph that joins on <c>metaId</c>. As the README shows, each router sends
/// this subgraph only either the client's <c>Authorization</c> (the Page token) or, in managed mode, its own API key.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class FederationRoutersTests(ITestOutputHelper output, SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    private const string Script = """
        import { composers, conversationsSubgraph, routers, startCrm } from './router-harness.mjs';

        // A CRM that knows conversations and people by Meta's ids (from webhooks), not by our global ids.
        const managed = process.env.MODE === 'managed';
        let crmSawCredentials = false;
        const crm = await startCrm('metaId', JSON.parse(process.env.TICKETS), headers => {
          if (headers.authorization || headers['x-api-key']) crmSawCredentials = true;
        });
        // What the conversations subgraph gets, and no other: the client's Page token, or in managed mode the router's API key.
        const headersFor = (subgraphName, authorization) =>
          subgraphName !== 'conversations' ? {} : managed ? { 'x-api-key': process.env.API_KEY } : { authorization };
        const services = [conversationsSubgraph(), crm];
        const query = '{ tickets { id conversation { metaId snippet participants { id metaId name crmNote } } } }';
        const results = {};

        for (const [composerName, compose] of Object.entries(composers)) {
          const composed = compose(services);
          if (composed.errors?.length) {
            results[composerName] = { compositionErrors: composed.errors.map(e => e.message) };
            continue;
          }
          for (const [routerName, start] of Object.entries(routers)) {
            let router;
            try {
              router = await start(composed.supergraphSdl, headersFor);
              const response = await fetch(router.url, {
                method: 'POST',
                headers: { 'content-type': 'application/json', ...(managed ? {} : { authorization: `Bearer ${process.env.PAGE_TOKEN}` }) },
                body: JSON.stringify({ query }),
              });
              results[`${composerName} + ${routerName}`] = await response.json();
            } catch (error) {
              results[`${composerName} + ${routerName}`] = { routerError: String(error?.message ?? error) };
            } finally {
              await router?.stop();
            }
          }
        }
        console.log(JSON.stringify({ results, crmSawCredentials }));
        process.exit(0);
        """;

    private const string ApiKey = "router-api-key-0123456789";

    [Theory]
    [InlineData("forwarded")]
    [InlineData("managed")]
    public async Task Both_composers_supergraphs_run_under_apollo_gateway_and_hive_gateway_joining_on_metaId(string mode)
    {
        var folder = await RouterHarness.InstallAsync();
        // Forwarded: the client's Page token is the credential. Managed: Page tokens live in the gateway's configuration and
        // the router authenticates with an API key allowed to read that Page, so that gateway has settings of its own.
        await using var managedHost = mode == "managed"
            ? await GatewayHost.StartAsync(configurePages: true, settings: new Dictionary<string, string?>
            {
                ["Gateway:Auth:Required"] = "true",
                ["Gateway:Auth:ApiKeys:router:Key"] = ApiKey,
                ["Gateway:Auth:ApiKeys:router:Pages:0"] = "104000000000001",
            })
            : null;
        var host = managedHost ?? await hosts.ForTestAsync();
        Assert.Equal("104000000000001", host.Page.PageId);
        var conversations = await ConversationsAsync(host, mode);

        var (exitCode, log) = await NodeTools.RunScriptAsync(folder, "routers.mjs", Script, RouterHarness.Environment(host, new Dictionary<string, string>
        {
            ["TICKETS"] = JsonSerializer.Serialize(conversations.Select(c => c!["metaId"]!.GetValue<string>())),
            ["PAGE_TOKEN"] = host.Page.AccessToken,
            ["MODE"] = mode,
            ["API_KEY"] = ApiKey,
        }), TimeSpan.FromMinutes(3));

        output.WriteLine(log);
        Assert.Equal(0, exitCode);
        var outcome = JsonNode.Parse(log.Split('\n').Last(line => line.StartsWith("{\"results\"", StringComparison.Ordinal)))!;
        var results = outcome["results"]!.AsObject();
        Assert.Equal(
            ["apollo-composition + apollo-gateway", "apollo-composition + hive-gateway", "theguild-composition + apollo-gateway", "theguild-composition + hive-gateway"],
            results.Select(result => result.Key).Order());
        var expected = new JsonArray(conversations.Select((conversation, i) => (JsonNode)new JsonObject
        {
            ["id"] = $"T-{i + 1}",
            ["conversation"] = new JsonObject
            {
                ["metaId"] = conversation!["metaId"]!.GetValue<string>(),
                ["snippet"] = conversation["snippet"]!.GetValue<string>(),
                ["participants"] = new JsonArray(conversation["participants"]!.AsArray().Select(p => (JsonNode)new JsonObject
                {
                    ["id"] = p!["id"]!.GetValue<string>(),
                    ["metaId"] = p["metaId"]!.GetValue<string>(),
                    ["name"] = p["name"]?.GetValue<string>(),
                    ["crmNote"] = $"crm note for {p["metaId"]!.GetValue<string>()}",
                }).ToArray()),
            },
        }).ToArray()).Compact();
        foreach (var (combination, result) in results)
        {
            Assert.True(result!["errors"] is null && result["data"] is not null, $"{combination}: {result!.Compact()}");
            Assert.Equal(expected, result.At("data.tickets")!.Compact());
        }
        // The credential reached this subgraph and never the CRM.
        Assert.False(outcome["crmSawCredentials"]!.GetValue<bool>());
    }

    /// <summary>The first conversations of the Page, read directly with the mode's credential.</summary>
    private static async Task<JsonArray> ConversationsAsync(GatewayHost host, string mode)
    {
        var query = $$"""
            query { page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 3) { nodes { metaId snippet participants { id metaId name } } } } }
            """;
        if (mode != "managed")
        {
            return (await host.QueryAsync(query)).At("data.page.conversations.nodes")!.AsArray();
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query }) };
        request.Headers.Add("X-Api-Key", ApiKey);
        using var response = await host.Client.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync()).At("data.page.conversations.nodes")!.AsArray();
    }

    [Fact]
    public async Task The_service_sdl_a_router_introspects_is_the_committed_schema()
    {
        var host = await hosts.ForTestAsync();

        var result = await host.QueryAsync("{ _service { sdl } }");

        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(GatewayHost.RepositoryRoot, "schema", "schema.graphql")),
            result.At("data._service.sdl")!.GetValue<string>());
    }
}
