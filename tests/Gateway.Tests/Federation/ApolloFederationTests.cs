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
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class ApolloFederationTests(ITestOutputHelper output)
{
    private const string Script = """
        import { composers, conversationsSubgraph, routers, startCrm } from './router-harness.mjs';

        const crm = await startCrm('id', JSON.parse(process.env.TICKETS));
        const composed = composers['apollo-composition']([conversationsSubgraph(), crm]);
        if (composed.errors) {
          console.log(JSON.stringify({ errors: composed.errors.map(e => e.message) }));
          process.exit(2);
        }
        // The client's Authorization goes to this gateway only.
        const router = await routers['apollo-gateway'](composed.supergraphSdl,
          (subgraphName, authorization) => subgraphName === 'conversations' ? { authorization } : {});
        console.log(JSON.stringify({ router: router.url, hints: (composed.hints ?? []).map(h => h.message) }));
        """;

    [Fact]
    public async Task A_router_composes_the_schema_with_another_subgraph_and_queries_across_both()
    {
        var folder = await RouterHarness.InstallAsync();
        await using var host = await GatewayHost.StartAsync();
        var direct = await host.QueryAsync($$"""
            query { page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 3) { nodes { id snippet participants { id name } } } } }
            """);
        var conversations = direct.At("data.page.conversations.nodes")!.AsArray();
        var ids = conversations.Select(c => c!["id"]!.GetValue<string>()).ToList();
        await File.WriteAllTextAsync(Path.Combine(folder, "federation.mjs"), Script);

        var start = new ProcessStartInfo("node", [Path.Combine(folder, "federation.mjs")])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in RouterHarness.Environment(host, new Dictionary<string, string> { ["TICKETS"] = JsonSerializer.Serialize(ids) }))
        {
            start.Environment[name] = value;
        }
        using var node = Process.Start(start)!;
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
