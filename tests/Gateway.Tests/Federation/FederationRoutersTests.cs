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
public sealed class FederationRoutersTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Packages = new()
    {
        ["@apollo/composition"] = "2.14.4",
        ["@apollo/gateway"] = "2.14.4",
        ["@apollo/server"] = "5.5.1",
        ["@apollo/subgraph"] = "2.14.4",
        ["@graphql-hive/gateway-runtime"] = "2.12.1",
        // The runtime loads the HTTP transport to subgraphs on demand; `@graphql-hive/gateway` (the CLI) brings it along.
        ["@graphql-mesh/transport-http"] = "1.2.1",
        ["@theguild/federation-composition"] = "0.27.0",
        ["graphql"] = "16.15.0",
    };

    private const string Script = """
        import { readFileSync } from 'node:fs';
        import { createServer } from 'node:http';
        import { parse } from 'graphql';
        import { ApolloServer } from '@apollo/server';
        import { startStandaloneServer } from '@apollo/server/standalone';
        import { buildSubgraphSchema } from '@apollo/subgraph';
        import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
        import { composeServices as composeWithApollo } from '@apollo/composition';
        import { composeServices as composeWithTheGuild } from '@theguild/federation-composition';
        import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';

        // A CRM that knows conversations and people by Meta's ids (from webhooks), not by our global ids.
        const tickets = JSON.parse(process.env.TICKETS);
        const managed = process.env.MODE === 'managed';
        let crmSawCredentials = false;
        const crmTypeDefs = parse(`
          extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
          type Participant @key(fields: "metaId") { metaId: ID! crmNote: String! }
          type Conversation @key(fields: "metaId", resolvable: false) { metaId: ID! }
          type Ticket { id: ID! subject: String! conversation: Conversation! }
          type Query { tickets: [Ticket!]! }`);
        const resolvers = {
          Query: { tickets: () => tickets.map((metaId, i) => ({ id: `T-${i + 1}`, subject: `Ticket ${i + 1}`, conversation: { metaId } })) },
          Participant: { __resolveReference: ({ metaId }) => ({ metaId }), crmNote: ({ metaId }) => `crm note for ${metaId}` },
        };
        const crm = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: crmTypeDefs, resolvers }]) });
        const { url: crmUrl } = await startStandaloneServer(crm, {
          listen: { port: 0, host: '127.0.0.1' },
          context: async ({ req }) => { if (req.headers.authorization || req.headers['x-api-key']) crmSawCredentials = true; return {}; },
        });

        const services = [
          { name: 'conversations', typeDefs: parse(readFileSync(process.env.SCHEMA_PATH, 'utf8')), url: process.env.SUBGRAPH_URL },
          { name: 'crm', typeDefs: crmTypeDefs, url: crmUrl },
        ];
        const query = '{ tickets { id conversation { metaId snippet participants { id metaId name crmNote } } } }';
        const results = {};

        for (const [composerName, compose] of [['apollo-composition', composeWithApollo], ['theguild-composition', composeWithTheGuild]]) {
          const composed = compose(services);
          if (composed.errors?.length) {
            results[composerName] = { compositionErrors: composed.errors.map(e => e.message) };
            continue;
          }
          for (const [routerName, start] of [['apollo-gateway', startApolloGateway], ['hive-gateway', startHiveGateway]]) {
            let router;
            try {
              router = await start(composed.supergraphSdl);
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

        // What the conversations subgraph gets, and no other: the client's Page token, or in managed mode the router's API key.
        function conversationsHeaders(subgraphName, authorization) {
          if (subgraphName !== 'conversations') return {};
          return managed ? { 'x-api-key': process.env.API_KEY } : { authorization };
        }

        async function startApolloGateway(supergraphSdl) {
          const gateway = new ApolloGateway({
            supergraphSdl,
            buildService: ({ name, url }) => new RemoteGraphQLDataSource({
              url,
              willSendRequest({ request, context }) {
                for (const [header, value] of Object.entries(conversationsHeaders(name, context.authorization))) {
                  if (value) request.http.headers.set(header, value);
                }
              },
            }),
          });
          const server = new ApolloServer({ gateway });
          const { url } = await startStandaloneServer(server, {
            listen: { port: 0, host: '127.0.0.1' },
            context: async ({ req }) => ({ authorization: req.headers.authorization }),
          });
          return { url, stop: () => server.stop() };
        }

        async function startHiveGateway(supergraph) {
          const gateway = createGatewayRuntime({
            supergraph,
            propagateHeaders: {
              fromClientToSubgraphs: ({ request, subgraphName }) => conversationsHeaders(subgraphName, request.headers.get('authorization')),
            },
          });
          const server = createServer(gateway);
          await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
          return {
            url: `http://127.0.0.1:${server.address().port}/graphql`,
            stop: async () => { server.closeAllConnections(); await new Promise(resolve => server.close(resolve)); await gateway.dispose(); },
          };
        }
        """;

    private const string ApiKey = "router-api-key-0123456789";

    [Theory]
    [InlineData("forwarded")]
    [InlineData("managed")]
    public async Task Both_composers_supergraphs_run_under_apollo_gateway_and_hive_gateway_joining_on_metaId(string mode)
    {
        var folder = await NodeTools.InstallAsync(Packages);
        // Forwarded: the client's Page token is the credential. Managed: Page tokens live in the gateway's configuration and
        // the router authenticates with an API key allowed to read that Page.
        await using var host = mode == "managed"
            ? await GatewayHost.StartAsync(configurePages: true, settings: new Dictionary<string, string?>
            {
                ["Gateway:Auth:Required"] = "true",
                ["Gateway:Auth:ApiKeys:router:Key"] = ApiKey,
                ["Gateway:Auth:ApiKeys:router:Pages:0"] = "104000000000001",
            })
            : await GatewayHost.StartAsync();
        Assert.Equal("104000000000001", host.Page.PageId);
        var conversations = await ConversationsAsync(host, mode);

        var (exitCode, log) = await NodeTools.RunScriptAsync(folder, "routers.mjs", Script, new Dictionary<string, string>
        {
            ["TICKETS"] = JsonSerializer.Serialize(conversations.Select(c => c!["metaId"]!.GetValue<string>())),
            ["SCHEMA_PATH"] = Path.Combine(GatewayHost.RepositoryRoot, "schema", "schema.graphql"),
            ["SUBGRAPH_URL"] = new Uri(host.Client.BaseAddress!, "/graphql").ToString(),
            ["PAGE_TOKEN"] = host.Page.AccessToken,
            ["MODE"] = mode,
            ["API_KEY"] = ApiKey,
        }, TimeSpan.FromMinutes(3));

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
        await using var host = await GatewayHost.StartAsync();

        var result = await host.QueryAsync("{ _service { sdl } }");

        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(GatewayHost.RepositoryRoot, "schema", "schema.graphql")),
            result.At("data._service.sdl")!.GetValue<string>());
    }
}
