using System.Text.Json.Nodes;
using Gateway.Execution;
using Gateway.Tests.Infrastructure;
using GraphQL.Execution;
using MetaGraph.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Execution;

/// <summary>
/// The gateway's queries executed with inlined selections against the same gateway executing them node by node
/// (GraphQL.NET's parallel execution), both over one emulator: the same data and the same errors, for the shipped
/// operations and for queries that make the inline execution fall back (loaders, async resolvers, interfaces).
/// </summary>
public sealed class InlineSubtreeGatewayTests : IAsyncLifetime
{
    private const string Rich = """
        query Rich($pageId: ID!) {
          page(id: $pageId) {
            __typename
            id
            conversations(platform: MESSENGER, first: 4) {
              edges { node { ...ConversationParts canReplyUntil messages(first: 3) { nodes { __typename id detailsSource reactions { reaction users { id } } tags from { profilePic ...Person } } } } }
            }
            instagram: conversations(platform: INSTAGRAM, first: 3) { nodes { __typename id participants { username ...Person } } }
          }
        }
        fragment ConversationParts on Conversation { id metaId platform updatedTime messageCount unreadCount snippet participants { ...Person } }
        fragment Person on Participant { id metaId name email username }
        """;

    private const string ById = """
        query ById($id: ID!) {
          node(id: $id) { __typename id ... on Conversation { snippet messages(first: 2) { edges { cursor node { id message } } } } }
        }
        """;

    private const string Introspection = """
        query IntrospectionQuery {
          __schema {
            queryType { name } mutationType { name } subscriptionType { name }
            types { ...FullType }
            directives { name description isRepeatable locations args { ...InputValue } }
          }
        }
        fragment FullType on __Type {
          kind name description
          fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
          inputFields { ...InputValue }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
          possibleTypes { ...TypeRef }
        }
        fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
        fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
        """;

    private EmulatorServer _emulator = null!;
    private GatewayHost _inline = null!;
    private GatewayHost _nodeByNode = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorServer.StartAsync(new EmulatorOptions());
        _inline = await GatewayHost.StartAsync(sharedEmulator: _emulator, configurePages: true);
        _nodeByNode = await GatewayHost.StartAsync(sharedEmulator: _emulator, configurePages: true,
            services: services => services.AddSingleton<IExecutionStrategySelector>(provider =>
                new NodeByNodeQueries(provider.GetServices<ExecutionStrategyRegistration>())));
    }

    public async Task DisposeAsync()
    {
        await _inline.DisposeAsync();
        await _nodeByNode.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task The_shipped_operations_answer_as_node_by_node_execution_does()
    {
        var page = _emulator.Seed[0].PageId;
        var inbox = await SameAnswerAsync(GatewayHost.Operation("inbox"), new { pageId = page });
        await SameAnswerAsync(GatewayHost.Operation("inbox"), new { pageId = page, conversations = 3, messages = 30 });
        var conversation = inbox.At("data.page.conversations.edges.0.node")!;
        await SameAnswerAsync(GatewayHost.Operation("thread"), new { conversationId = conversation.At("id")!.GetValue<string>() });
        var person = conversation.At("participants")!.AsArray().Select(participant => participant!.At("id")!.GetValue<string>()).First();
        await SameAnswerAsync(GatewayHost.Operation("find-by-user"), new { pageId = page, platform = "MESSENGER", userId = person });

        Assert.Equal(10, inbox.At("data.page.conversations.edges")!.AsArray().Count);
    }

    [Fact]
    public async Task Queries_that_load_wait_or_meet_an_interface_answer_as_node_by_node_execution_does()
    {
        var page = _emulator.Seed[0].PageId;
        var rich = await SameAnswerAsync(Rich, new { pageId = page });
        var conversation = rich.At("data.page.conversations.edges.0.node.id")!.GetValue<string>();
        await SameAnswerAsync(ById, new { id = conversation });
        var introspection = await SameAnswerAsync(Introspection, null);

        // The avatars came from Meta's profile reads (a loader), so the selections around them fell back.
        Assert.Contains(rich.At("data.page.conversations.edges")!.AsArray()
            .SelectMany(edge => edge!.At("node.messages.nodes")!.AsArray()), message => message!.At("from.profilePic") is not null);
        Assert.True(introspection.At("data.__schema.types")!.AsArray().Count > 50);
    }

    [Fact]
    public void The_gateway_executes_queries_inline_and_validates_repeated_documents_at_their_sites()
    {
        Assert.Contains(_inline.Services.GetServices<ExecutionStrategyRegistration>(),
            registration => registration.Operation == GraphQLParser.AST.OperationType.Query && registration.Strategy is InlineSubtreeExecutionStrategy);
        Assert.IsType<RepeatedDocumentValidator>(_inline.Services.GetRequiredService<GraphQL.Validation.IDocumentValidator>());
    }

    /// <summary>Asks both gateways twice (the second time from what the strategy remembered) and compares data and errors.</summary>
    private async Task<JsonObject> SameAnswerAsync(string query, object? variables)
    {
        var expected = Comparable(await _nodeByNode.QueryAsync(query, variables));
        JsonObject answer = null!;
        foreach (var time in new[] { 1, 2 })
        {
            answer = await _inline.QueryAsync(query, variables);
            Assert.Equal(expected, Comparable(answer));
        }
        Assert.NotNull(answer["data"]);
        return answer;
    }

    // Extensions say how fresh each gateway's own cache is, which differs between the two.
    private static string Comparable(JsonObject answer) => new JsonObject
    {
        ["data"] = answer["data"]?.DeepClone(),
        ["errors"] = answer["errors"]?.DeepClone(),
    }.Compact();

    /// <summary>GraphQL.NET's own parallel execution for queries; the gateway's strategies for the rest.</summary>
    private sealed class NodeByNodeQueries(IEnumerable<ExecutionStrategyRegistration> registrations) : DefaultExecutionStrategySelector(registrations)
    {
        public override IExecutionStrategy Select(GraphQL.Execution.ExecutionContext context)
            => context.Operation.Operation == GraphQLParser.AST.OperationType.Query ? ParallelExecutionStrategy.Instance : base.Select(context);
    }
}
