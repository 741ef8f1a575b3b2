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
[Trait(TestCategories.Name, TestCategories.Slow)]
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

    /// <summary>What a Relay user does with <c>schema/operations</c>: each file pasted as it is into a <c>graphql`…`</c> tag in
    /// a module named after it (<c>find-by-user.graphql</c> into <c>FindByUser.js</c>). Every file must compile to its operation
    /// (relay-compiler compiles nothing, silently, when a backtick in a comment ends the template early), and each
    /// compiled operation answers with what the shipped text answers: the reply, sent twice with one idempotency key, is
    /// delivered once and answered alike.</summary>
    [Fact]
    public async Task Relay_compiles_every_operation_in_schema_operations_as_shipped_and_the_compiled_queries_answer_alike()
    {
        var packages = await NodeTools.InstallAsync(FrontendPackages.All);
        var project = Directory.CreateTempSubdirectory("gateway-tests-relay-operations-");
        try
        {
            Directory.CreateDirectory(Path.Combine(project.FullName, "src"));
            File.Copy(Path.Combine(GatewayHost.RepositoryRoot, "schema", "schema.graphql"), Path.Combine(project.FullName, "schema.graphql"));
            await File.WriteAllTextAsync(Path.Combine(project.FullName, "relay.config.json"),
                """{ "src": "./src", "schema": "./schema.graphql", "language": "javascript" }""");
            var shipped = Directory.GetFiles(Path.Combine(GatewayHost.RepositoryRoot, "schema", "operations"), "*.graphql").Order().ToList();
            Assert.NotEmpty(shipped);
            foreach (var file in shipped)
            {
                await File.WriteAllTextAsync(Path.Combine(project.FullName, "src", ModuleName(file) + ".js"),
                    "import { graphql } from 'react-relay';\n\nexport default graphql`\n" + await File.ReadAllTextAsync(file) + "`;\n");
            }

            var (exitCode, log) = await NodeTools.RunAsync("node", [Path.Combine(packages, "node_modules", "relay-compiler", "cli.js")],
                project.FullName, TimeSpan.FromMinutes(2));

            output.WriteLine(log);
            Assert.True(exitCode == 0, log);
            await using var host = await GatewayHost.StartAsync();
            var (replyIn, _) = host.Person();
            await host.MakePersonWriteAsync(new { pageId = host.Page.PageId, platform = "messenger", conversationId = replyIn, text = "Hello?" });
            var inbox = await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Page.PageId });
            var conversation = inbox.At("data.page.conversations.edges.0.node")!;
            var variables = new Dictionary<string, object>
            {
                ["inbox"] = new { pageId = host.Page.PageId },
                ["thread"] = new { conversationId = conversation["id"]!.GetValue<string>() },
                ["find-by-user"] = new { pageId = host.Page.PageId, platform = "MESSENGER", userId = conversation.At("participants.0.id")!.GetValue<string>() },
                ["reply"] = new { input = new { conversationId = replyIn, text = "Compiled by Relay.", idempotencyKey = "relay-reply-1" } },
            };
            foreach (var file in shipped)
            {
                var name = Path.GetFileNameWithoutExtension(file);
                var text = await File.ReadAllTextAsync(file);
                var operation = OperationName().Match(text).Groups[1].Value;
                var artifact = Path.Combine(project.FullName, "src", "__generated__", operation + ".graphql.js");
                Assert.True(File.Exists(artifact), $"{name}.graphql compiled to nothing (no {operation}.graphql.js)");
                Assert.StartsWith(ModuleName(file), operation);
                Assert.Matches("(Query|Mutation)$", operation);
                Assert.True(variables.ContainsKey(name), $"give {name}.graphql variables in this test");
                var asShipped = await host.QueryAsync(text, variables[name]);
                var compiled = await host.QueryAsync(await OperationTextAsync(artifact), variables[name]);
                Assert.Null(asShipped["errors"]);
                Assert.Null(compiled["errors"]);
                Assert.Equal(Ids(asShipped), Ids(compiled));
            }
            Assert.Single(host.Emulator.SentMessages);
        }
        finally
        {
            project.Delete(recursive: true);
        }
    }

    /// <summary>The module a Relay user keeps an operation in: <c>find-by-user.graphql</c> is <c>FindByUser</c>.</summary>
    private static string ModuleName(string file)
        => string.Concat(Path.GetFileNameWithoutExtension(file).Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>Every <c>id</c> in an answer, in order.</summary>
    private static List<string> Ids(JsonNode answer)
        => answer.ToJsonString().Split("\"id\":\"").Skip(1).Select(rest => rest[..rest.IndexOf('"')]).ToList();

    [GeneratedRegex(@"^\s*(?:query|mutation)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex OperationName();

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
