using Gateway.Execution;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Gateway.Tests.Execution;

/// <summary>
/// The inline execution of whole selections against GraphQL.NET's own parallel execution: the same answers and errors
/// for every kind of selection, whether a selection was inlined or fell back to node-by-node execution. (GraphQL.NET's
/// converter writes an object node from its sub-field nodes, which an inlined one has none of; the gateway's serializer
/// writes results with <see cref="ExecutionResultWriter"/>.)
/// </summary>
public sealed class InlineSubtreeExecutionTests
{
    private static readonly ISchema Schema = CreateSchema();

    private static ISchema CreateSchema()
    {
        var schema = new GraphQL.Types.Schema { Query = new SampleQuery() };
        schema.RegisterType(new DogType());
        return schema;
    }

    public static TheoryData<string, string?> Selections => new()
    {
        { "{ item { text number ratio flag id kind tags nothing nested { text } list { text number } } }", null },
        { "{ item { a: text text nested { text } nested { number } ...More ... on Item { flag } } } fragment More on Item { list { __typename text } }", null },
        { "{ item { __typename nested { __typename kind } } }", null },
        { "query($n: Int) { item { a: withArgument b: withArgument(n: 5) nested { withArgument(n: $n) } } }", """{ "n": 7 }""" },
        { "query($skip: Boolean!) { item { text @skip(if: $skip) number @include(if: $skip) nested { ... on Item @skip(if: $skip) { flag } text } } }", """{ "skip": true }""" },
        { "query($skip: Boolean!) { item { text @skip(if: $skip) number @include(if: $skip) nested { ... on Item @skip(if: $skip) { flag } text } } }", """{ "skip": false }""" },
        // Fall back to node-by-node execution: an error, a null in a non-null field, a DataLoader, a resolver still running,
        // an interface, a value not of the object's type.
        { "{ item { text failing nested { text } } }", null },
        { "{ item { text nested { nullInNonNull } list { text } } }", null },
        { "{ item { text loaded { text } list { loaded { number } } } }", null },
        { "{ item { text later nested { later } } }", null },
        { "{ item { text pet { name ... on Dog { barks } } } }", null },
        { "{ item { text strange { text } } }", null },
        { "{ __schema { queryType { name } types { name kind fields(includeDeprecated: true) { name args { name defaultValue type { name kind ofType { name kind } } } type { name kind ofType { name kind ofType { name } } } isDeprecated } enumValues { name } possibleTypes { name } } directives { name locations args { name } } } }", null },
    };

    [Theory]
    [MemberData(nameof(Selections))]
    public async Task Answers_as_graphql_dotnets_parallel_execution_does(string query, string? variables)
    {
        var document = GraphQLParser.Parser.Parse(query);
        var inputs = variables is null ? Inputs.Empty : new GraphQLSerializer().Deserialize<Inputs>(variables)!;
        var strategy = new InlineSubtreeExecutionStrategy();

        var expected = await ExecuteAsync(new ParallelExecutionStrategy(), document, inputs);
        // Twice over one parsed document: the second run uses what the strategy remembered of the first.
        foreach (var run in new[] { 1, 2 })
        {
            var result = await ExecuteAsync(strategy, document, inputs);
            Assert.Equal(new GraphQLSerializer().Serialize(expected), GatewaySerializer.Serialize(result));
            // What the nodes give as values (GraphQL.NET's ToValue), for anything that reads the result's data itself.
            Assert.Equal(DataValues(expected), DataValues(result));
        }
    }

    [Fact]
    public async Task A_selection_with_skip_or_include_follows_each_requests_variables()
    {
        var strategy = new InlineSubtreeExecutionStrategy();
        var document = GraphQLParser.Parser.Parse(
            "query($skip: Boolean!) { item { nested { text @skip(if: $skip) number @include(if: $skip) ...Flag @skip(if: $skip) } } } fragment Flag on Item { flag }");

        foreach (var skip in new[] { true, false, true })
        {
            var variables = new Inputs(new Dictionary<string, object?> { ["skip"] = skip });
            var expected = await ExecuteAsync(new ParallelExecutionStrategy(), document, variables);
            var result = await ExecuteAsync(strategy, document, variables);
            Assert.Equal(new GraphQLSerializer().Serialize(expected), GatewaySerializer.Serialize(result));
        }
    }

    [Fact]
    public async Task A_selection_that_resolves_at_once_is_executed_inline_and_one_that_loads_is_not()
    {
        var strategy = new InlineSubtreeExecutionStrategy();

        var inline = await ExecuteAsync(strategy, GraphQLParser.Parser.Parse("{ item { text nested { text } } }"), Inputs.Empty);
        var loading = await ExecuteAsync(strategy, GraphQLParser.Parser.Parse("{ item { text loaded { text } } }"), Inputs.Empty);

        Assert.True(ItemNode(inline) is InlineSubtreeNode { IsInline: true });
        Assert.False(ItemNode(loading) is InlineSubtreeNode { IsInline: true });
        // Its loaded object resolves once the loader did, and its selection is inlined then.
        var loaded = ((ObjectExecutionNode)ItemNode(loading)).SubFields!.Single(field => field.Name == "loaded");
        Assert.True(loaded is InlineSubtreeNode { IsInline: true });
    }

    [Fact]
    public async Task A_selection_that_stopped_is_not_tried_again_so_its_fields_resolve_once()
    {
        var strategy = new InlineSubtreeExecutionStrategy();
        var document = GraphQLParser.Parser.Parse("{ item { counted loaded { text } } }");
        Counted.Calls = 0;

        await ExecuteAsync(strategy, document, Inputs.Empty);
        var first = Counted.Calls;
        await ExecuteAsync(strategy, document, Inputs.Empty);

        // The first run resolved `counted` inline, stopped at `loaded` and resolved both again node by node.
        Assert.Equal(2, first);
        Assert.Equal(3, Counted.Calls);
    }

    private static string DataValues(ExecutionResult result)
        => new GraphQLSerializer().Serialize((result.Data as ExecutionNode)?.ToValue());

    private static ExecutionNode ItemNode(ExecutionResult result)
        => ((ObjectExecutionNode)result.Data!).SubFields!.Single(field => field.Name == "item");

    private static async Task<ExecutionResult> ExecuteAsync(IExecutionStrategy strategy, GraphQLDocument document, Inputs variables)
    {
        var executer = new DocumentExecuter(new GraphQLDocumentBuilder(), new DocumentValidator(),
            new DefaultExecutionStrategySelector([new ExecutionStrategyRegistration(strategy, OperationType.Query)]), []);
        var result = await executer.ExecuteAsync(new ExecutionOptions { Schema = Schema, Document = document, Variables = variables });
        Assert.True(result.Executed, new GraphQLSerializer().Serialize(result));
        return result;
    }

    private static class GatewaySerializer
    {
        private static readonly GraphQLSerializer Serializer = new(options => options.Converters.Add(new ExecutionResultWriter()), new ErrorInfoProvider());

        public static string Serialize(ExecutionResult result) => Serializer.Serialize(result);
    }

    private static class Counted
    {
        public static int Calls;
    }

    private sealed class Item(int depth)
    {
        public int Depth { get; } = depth;
    }

    private sealed class Loaded(object? value) : IDataLoaderResult
    {
        public Task<object?> GetResultAsync(CancellationToken cancellationToken = default) => Task.FromResult(value);
    }

    private sealed class SampleQuery : ObjectGraphType
    {
        public SampleQuery()
        {
            Name = "Query";
            Field<ItemType>("item").Resolve(_ => new Item(0));
        }
    }

    private enum Kind { Plain, Fancy }

    private sealed class ItemType : ObjectGraphType<Item>
    {
        public ItemType()
        {
            Name = "Item";
            IsTypeOf = value => value is Item;
            Field<StringGraphType>("text").Resolve(c => $"Zoë \"quoted\" 😊 {c.Source.Depth}");
            Field<IntGraphType>("number").Resolve(c => 40 + c.Source.Depth);
            Field<FloatGraphType>("ratio").Resolve(_ => 0.1 + 0.2);
            Field<BooleanGraphType>("flag").Resolve(c => c.Source.Depth % 2 == 0);
            Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => $"item-{c.Source.Depth}");
            Field<EnumerationGraphType<Kind>>("kind").Resolve(c => c.Source.Depth == 0 ? Kind.Plain : Kind.Fancy);
            Field<ListGraphType<NonNullGraphType<StringGraphType>>>("tags").Resolve(_ => new[] { "inbox", "read" });
            Field<StringGraphType>("nothing").Resolve(_ => null);
            Field<IntGraphType>("withArgument").Argument<IntGraphType>("n", argument => argument.DefaultValue = 2)
                .Resolve(c => c.GetArgument<int>("n") * 10);
            Field<ItemType>("nested").Resolve(c => new Item(c.Source.Depth + 1));
            Field<NonNullGraphType<ListGraphType<NonNullGraphType<ItemType>>>>("list").Resolve(c => new[] { new Item(c.Source.Depth + 1), new Item(c.Source.Depth + 2) });
            Field<StringGraphType>("failing").Resolve(_ => throw new ExecutionError("no"));
            Field<NonNullGraphType<StringGraphType>>("nullInNonNull").Resolve(_ => null);
            Field<ItemType>("loaded").Resolve(c => new Loaded(new Item(c.Source.Depth + 1)));
            Field<StringGraphType>("later").ResolveAsync(async c =>
            {
                await Task.Yield();
                return (object?)"later";
            });
            Field<PetInterface>("pet").Resolve(_ => new Dog());
            Field<ItemType>("strange").Resolve(_ => "not an item");
            Field<IntGraphType>("counted").Resolve(_ => Interlocked.Increment(ref Counted.Calls));
        }
    }

    private sealed class Dog;

    private sealed class PetInterface : InterfaceGraphType
    {
        public PetInterface()
        {
            Name = "Pet";
            Field<StringGraphType>("name");
        }
    }

    private sealed class DogType : ObjectGraphType<Dog>
    {
        public DogType()
        {
            Name = "Dog";
            Interface<PetInterface>();
            IsTypeOf = value => value is Dog;
            Field<StringGraphType>("name").Resolve(_ => "Rex");
            Field<BooleanGraphType>("barks").Resolve(_ => true);
        }
    }
}
