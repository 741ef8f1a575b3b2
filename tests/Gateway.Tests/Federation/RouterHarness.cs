using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Federation;

/// <summary>
/// What the federation tests run routers with: one npm package set (installed once for all of them) and, beside it, the
/// module <c>router-harness.mjs</c> holding what every router script needs: this gateway as a subgraph, a CRM subgraph
/// that extends this schema's types by the key a test chooses, both composers, and Apollo Gateway and Hive Gateway started
/// on a supergraph, each sending a subgraph only the headers the script says.
/// </summary>
internal static class RouterHarness
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

    private const string Module = """
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

        export const composers = { 'apollo-composition': composeWithApollo, 'theguild-composition': composeWithTheGuild };
        export const routers = { 'apollo-gateway': startApolloGateway, 'hive-gateway': startHiveGateway };

        // This gateway: the committed schema, served at the test's URL.
        export function conversationsSubgraph() {
          return { name: 'conversations', typeDefs: parse(readFileSync(process.env.SCHEMA_PATH, 'utf8')), url: process.env.SUBGRAPH_URL };
        }

        // A CRM with a ticket per conversation and a note per person, knowing both by `key` (id or metaId);
        // onRequest sees the headers of each request the CRM gets.
        export async function startCrm(key, conversationKeys, onRequest = () => {}) {
          const typeDefs = parse(`
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type Participant @key(fields: "${key}") { ${key}: ID! crmNote: String! }
            type Conversation @key(fields: "${key}", resolvable: false) { ${key}: ID! }
            type Ticket { id: ID! subject: String! conversation: Conversation! }
            type Query { tickets: [Ticket!]! }`);
          const resolvers = {
            Query: { tickets: () => conversationKeys.map((value, i) => ({ id: `T-${i + 1}`, subject: `Ticket ${i + 1}`, conversation: { [key]: value } })) },
            Participant: { __resolveReference: reference => ({ [key]: reference[key] }), crmNote: person => `crm note for ${person[key]}` },
          };
          const crm = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs, resolvers }]) });
          const { url } = await startStandaloneServer(crm, {
            listen: { port: 0, host: '127.0.0.1' },
            context: async ({ req }) => { onRequest(req.headers); return {}; },
          });
          return { name: 'crm', typeDefs, url };
        }

        // headersFor(subgraphName, clientAuthorization) says what a router sends each subgraph.
        async function startApolloGateway(supergraphSdl, headersFor) {
          const gateway = new ApolloGateway({
            supergraphSdl,
            buildService: ({ name, url }) => new RemoteGraphQLDataSource({
              url,
              // Node's fetch drops an idle connection before the subgraph's server does; the default fetcher, shared by
              // every gateway in the script, reused ones the server had closed (ECONNRESET) when a run was slow.
              fetcher: fetch,
              willSendRequest({ request, context }) {
                for (const [header, value] of Object.entries(headersFor(name, context.authorization))) {
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

        async function startHiveGateway(supergraph, headersFor) {
          const gateway = createGatewayRuntime({
            supergraph,
            propagateHeaders: {
              fromClientToSubgraphs: ({ request, subgraphName }) => headersFor(subgraphName, request.headers.get('authorization')),
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

    // Written once per test run, so that tests running at once never read a half-written module.
    private static readonly Lazy<Task<string>> Folder = new(async () =>
    {
        var folder = await NodeTools.InstallAsync(Packages);
        await File.WriteAllTextAsync(Path.Combine(folder, "router-harness.mjs"), Module);
        return folder;
    });

    /// <summary>The folder a router script is written into: it imports from <c>./router-harness.mjs</c>.</summary>
    public static Task<string> InstallAsync() => Folder.Value;

    /// <summary>Where the script finds this gateway as a subgraph, plus the test's own variables.</summary>
    public static Dictionary<string, string> Environment(GatewayHost host, IReadOnlyDictionary<string, string> variables)
    {
        var environment = new Dictionary<string, string>(variables)
        {
            ["SCHEMA_PATH"] = Path.Combine(GatewayHost.RepositoryRoot, "schema", "schema.graphql"),
            ["SUBGRAPH_URL"] = new Uri(host.Client.BaseAddress!, "/graphql").ToString(),
        };
        return environment;
    }
}
