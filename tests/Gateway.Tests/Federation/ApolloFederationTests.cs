using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Federation;

/// <summary>
/// The committed <c>schema/schema.graphql</c> composes (npm <c>@apollo/composition</c>) with a small CRM subgraph that
/// extends <c>Participant</c> and points tickets at <c>Conversation</c>s, and a real Apollo Gateway plans queries
/// across both: CRM → gateway (<c>_entities</c> of conversations) → CRM (<c>_entities</c> of participants).
/// </summary>
public sealed class ApolloFederationTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Packages = new()
    {
        ["@apollo/composition"] = "2.14.4",
        ["@apollo/gateway"] = "2.14.4",
        ["@apollo/server"] = "5.5.1",
        ["@apollo/subgraph"] = "2.14.4",
        ["graphql"] = "16.15.0",
    };

    private const string Script = """
        import { readFileSync } from 'node:fs';
        import { parse } from 'graphql';
        import { ApolloServer } from '@apollo/server';
        import { startStandaloneServer } from '@apollo/server/standalone';
        import { buildSubgraphSchema } from '@apollo/subgraph';
        import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
        import { composeServices } from '@apollo/composition';

        const tickets = JSON.parse(process.env.TICKETS);
        const crmTypeDefs = parse(`
          extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
          type Participant @key(fields: "id") { id: ID! crmNote: String! }
          type Conversation @key(fields: "id", resolvable: false) { id: ID! }
          type Ticket { id: ID! subject: String! conversation: Conversation! }
          type Query { tickets: [Ticket!]! }`);
        const resolvers = {
          Query: { tickets: () => tickets.map((conversationId, i) => ({ id: `T-${i + 1}`, subject: `Ticket ${i + 1}`, conversation: { id: conversationId } })) },
          Participant: { __resolveReference: ({ id }) => ({ id }), crmNote: ({ id }) => `crm note for ${id}` },
        };
        const crm = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: crmTypeDefs, resolvers }]) });
        const { url: crmUrl } = await startStandaloneServer(crm, { listen: { port: 0, host: '127.0.0.1' } });

        const composed = composeServices([
          { name: 'conversations', typeDefs: parse(readFileSync(process.env.SCHEMA_PATH, 'utf8')), url: process.env.SUBGRAPH_URL },
          { name: 'crm', typeDefs: crmTypeDefs, url: crmUrl },
        ]);
        if (composed.errors) {
          console.log(JSON.stringify({ errors: composed.errors.map(e => e.message) }));
          process.exit(2);
        }
        const gateway = new ApolloGateway({
          supergraphSdl: composed.supergraphSdl,
          buildService: ({ url }) => new RemoteGraphQLDataSource({
            url,
            willSendRequest({ request, context }) {
              if (context.authorization) request.http.headers.set('authorization', context.authorization);
            },
          }),
        });
        const router = new ApolloServer({ gateway });
        const { url } = await startStandaloneServer(router, {
          listen: { port: 0, host: '127.0.0.1' },
          context: async ({ req }) => ({ authorization: req.headers.authorization }),
        });
        console.log(JSON.stringify({ router: url, hints: (composed.hints ?? []).map(h => h.message) }));
        """;

    [Fact]
    public async Task A_router_composes_the_schema_with_another_subgraph_and_queries_across_both()
    {
        var folder = await NodeTools.InstallAsync(Packages);
        await using var host = await GatewayHost.StartAsync();
        var direct = await host.QueryAsync($$"""
            query { page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 3) { nodes { id snippet participants { id name } } } } }
            """);
        var conversations = direct.At("data.page.conversations.nodes")!.AsArray();
        var ids = conversations.Select(c => c!["id"]!.GetValue<string>()).ToList();
        await File.WriteAllTextAsync(Path.Combine(folder, "federation.mjs"), Script);

        using var node = Process.Start(new ProcessStartInfo("node", [Path.Combine(folder, "federation.mjs")])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["TICKETS"] = JsonSerializer.Serialize(ids),
                ["SCHEMA_PATH"] = Path.Combine(GatewayHost.RepositoryRoot, "schema", "schema.graphql"),
                ["SUBGRAPH_URL"] = new Uri(host.Client.BaseAddress!, "/graphql").ToString(),
            },
        })!;
        try
        {
            var started = await ReadJsonLineAsync(node).WaitAsync(TimeSpan.FromSeconds(60));
            var router = JsonNode.Parse(started)!;
            Assert.True(router["errors"] is null, $"Composition failed: {started}");
            output.WriteLine($"Router at {router["router"]}; composition hints: {router["hints"]!.ToJsonString()}");
            using var http = new HttpClient { BaseAddress = new Uri(router["router"]!.GetValue<string>()) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.Page.AccessToken);
            host.Emulator.ResetRequests();

            using var response = await http.PostAsJsonAsync("", new
            {
                query = "{ tickets { id subject conversation { id snippet participants { id name crmNote } } } }",
            });
            var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

            Assert.True(result["errors"] is null, result.ToJsonString());
            var tickets = result.At("data.tickets")!.AsArray();
            Assert.Equal(ids, tickets.Select(t => t.At("conversation.id")!.GetValue<string>()));
            for (var i = 0; i < tickets.Count; i++)
            {
                var conversation = tickets[i]!["conversation"]!;
                Assert.Equal(conversations[i]!["snippet"]!.GetValue<string>(), conversation["snippet"]!.GetValue<string>());
                var participants = conversation["participants"]!.AsArray();
                Assert.Equal(conversations[i]!["participants"]!.ToJsonString(),
                    new JsonArray(participants.Select(p => (JsonNode)new JsonObject { ["id"] = p!["id"]!.GetValue<string>(), ["name"] = p["name"]?.GetValue<string>() }).ToArray()).ToJsonString());
                Assert.All(participants, p => Assert.Equal($"crm note for {p!["id"]!.GetValue<string>()}", p["crmNote"]!.GetValue<string>()));
            }
            // The router's _entities fetch of three conversations is one batched Graph call.
            var call = Assert.Single(host.UpstreamCalls);
            Assert.Contains("ids=", call.Query);
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
        }
    }

    /// <summary>The script's one JSON line, past whatever Apollo logs before it.</summary>
    private static async Task<string> ReadJsonLineAsync(Process node)
    {
        while (await node.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith('{'))
            {
                return line;
            }
        }
        throw new InvalidOperationException("The router exited: " + await node.StandardError.ReadToEndAsync());
    }
}
