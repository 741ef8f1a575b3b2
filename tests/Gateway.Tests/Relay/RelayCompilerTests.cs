using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Relay;

/// <summary>
/// relay-compiler compiles, against the committed <c>schema/schema.graphql</c> as it is, a <c>usePaginationFragment</c>
/// fragment (<c>@connection</c> + <c>@refetchable</c>) on <c>Conversation.messages</c> and a <c>@refetchable</c> fragment on
/// <c>Page</c>; the queries it generates (through <c>node(id:)</c>) then run against the gateway.
/// </summary>
public sealed partial class RelayCompilerTests(ITestOutputHelper output)
{
    private const string Fragments = """
        import { graphql } from 'react-relay';

        export const conversationMessages = graphql`
          fragment Inbox_conversationMessages on Conversation
          @refetchable(queryName: "ConversationMessagesPaginationQuery")
          @argumentDefinitions(count: { type: "Int", defaultValue: 10 }, cursor: { type: "String" }) {
            messages(first: $count, after: $cursor) @connection(key: "Inbox_conversationMessages_messages") {
              edges { node { id createdTime message from { id name } } }
            }
          }
        `;

        export const page = graphql`
          fragment Inbox_page on Page @refetchable(queryName: "PageRefetchQuery") {
            id
            metaId
          }
        `;
        """;

    [Fact]
    public async Task Relay_compiles_a_pagination_fragment_on_messages_and_a_refetchable_page_and_its_queries_run()
    {
        var packages = await NodeTools.InstallAsync(FrontendPackages.All);
        var project = Directory.CreateTempSubdirectory("gateway-tests-relay-");
        try
        {
            Directory.CreateDirectory(Path.Combine(project.FullName, "src"));
            File.Copy(Path.Combine(GatewayHost.RepositoryRoot, "schema", "schema.graphql"), Path.Combine(project.FullName, "schema.graphql"));
            await File.WriteAllTextAsync(Path.Combine(project.FullName, "relay.config.json"),
                """{ "src": "./src", "schema": "./schema.graphql", "language": "javascript" }""");
            await File.WriteAllTextAsync(Path.Combine(project.FullName, "src", "Inbox.js"), Fragments);

            var (exitCode, log) = await NodeTools.RunAsync("node", [Path.Combine(packages, "node_modules", "relay-compiler", "cli.js")],
                project.FullName, TimeSpan.FromMinutes(2));

            output.WriteLine(log);
            Assert.True(exitCode == 0, log);
            var generated = Path.Combine(project.FullName, "src", "__generated__");
            var pagination = await OperationTextAsync(Path.Combine(generated, "ConversationMessagesPaginationQuery.graphql.js"));
            var pageRefetch = await OperationTextAsync(Path.Combine(generated, "PageRefetchQuery.graphql.js"));
            Assert.Contains("node(id: $id)", pagination);

            await using var host = await GatewayHost.StartAsync();
            var inbox = (await host.QueryAsync($$"""
                query { page(id: "{{host.Page.PageId}}") { id conversations(platform: MESSENGER, first: 1) { nodes { id messages(first: 4) { nodes { id } } } } } }
                """)).At("data.page")!;
            var conversationId = inbox.At("conversations.nodes.0.id")!.GetValue<string>();
            var expected = inbox.At("conversations.nodes.0.messages.nodes")!.AsArray().Select(m => m!["id"]!.GetValue<string>());
            host.Emulator.ResetRequests();

            // What usePaginationFragment does: the first two messages, then two more after the end cursor.
            var first = await host.QueryAsync(pagination, new { id = conversationId, count = 2 });
            Assert.Single(host.UpstreamCalls);
            var next = await host.QueryAsync(pagination, new { id = conversationId, count = 2, cursor = first.At("data.node.messages.pageInfo.endCursor")!.GetValue<string>() });
            Assert.Null(first["errors"]);
            Assert.Null(next["errors"]);
            Assert.Equal(expected, new[] { first, next }.SelectMany(result => result.At("data.node.messages.edges")!.AsArray().Select(e => e.At("node.id")!.GetValue<string>())));

            var page = await host.QueryAsync(pageRefetch, new { id = inbox["id"]!.GetValue<string>() });
            Assert.Null(page["errors"]);
            Assert.Equal(host.Page.PageId, page.At("data.node.metaId")!.GetValue<string>());
        }
        finally
        {
            project.Delete(recursive: true);
        }
    }

    /// <summary>The operation text relay-compiler put in a generated query artifact.</summary>
    private static async Task<string> OperationTextAsync(string artifact)
    {
        var match = OperationText().Match(await File.ReadAllTextAsync(artifact));
        Assert.True(match.Success, $"No operation text in {artifact}");
        return JsonSerializer.Deserialize<string>(match.Groups[1].Value)!;
    }

    [GeneratedRegex("\"text\": (\"(?:[^\"\\\\]|\\\\.)*\")")]
    private static partial Regex OperationText();
}
