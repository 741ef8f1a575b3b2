using Gateway.Execution;
using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Types;

namespace Gateway.Tests.Execution;

/// <summary>The gateway's result writer against GraphQL.NET's own converter: the same bytes for every kind of node.</summary>
public sealed class ExecutionResultWriterTests
{
    [Theory]
    [InlineData("{ text number ratio flag nothing tags numbers nested { text tags } list { text } }")]
    [InlineData("{ a: text text failing nested { failingNonNull } list { failing text } }")]
    [InlineData("{ __typename nested { __typename } }")]
    public async Task Writes_what_graphql_dotnets_converter_writes(string query)
    {
        var result = await new DocumentExecuter().ExecuteAsync(new ExecutionOptions
        {
            Schema = new GraphQL.Types.Schema { Query = new SampleQuery() },
            Query = query,
        });
        result.Extensions = new() { ["cache"] = new Dictionary<string, object?> { ["stale"] = true, ["age"] = 3 } };

        var theirs = new GraphQLSerializer().Serialize(result);
        var ours = new GraphQLSerializer(options => options.Converters.Add(new ExecutionResultWriter()), new GraphQL.Execution.ErrorInfoProvider()).Serialize(result);

        Assert.Contains("\"data\"", ours);
        Assert.Equal(theirs, ours);
    }

    private sealed class SampleQuery : ObjectGraphType
    {
        public SampleQuery()
        {
            Name = "Query";
            Field<StringGraphType>("text").Resolve(_ => "Zoë \"quoted\" 😊 <b>");
            Field<IntGraphType>("number").Resolve(_ => 42);
            Field<FloatGraphType>("ratio").Resolve(_ => 0.1 + 0.2);
            Field<BooleanGraphType>("flag").Resolve(_ => true);
            Field<StringGraphType>("nothing").Resolve(_ => null);
            Field<StringGraphType>("failing").Resolve(_ => throw new ExecutionError("no"));
            Field<NonNullGraphType<StringGraphType>>("failingNonNull").Resolve(_ => throw new ExecutionError("never"));
            Field<ListGraphType<StringGraphType>>("tags").Resolve(_ => new[] { "inbox", null, "read" });
            Field<ListGraphType<IntGraphType>>("numbers").Resolve(_ => new[] { 1, 2 });
            Field<SampleQuery>("nested").Resolve(_ => new object());
            Field<ListGraphType<SampleQuery>>("list").Resolve(_ => new object[] { new(), new() });
        }
    }
}
