using System.Text;
using Gateway.Execution;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Gateway.Tests.Execution;

/// <summary>
/// A document that passed validation, asked again with nothing left to check: the variables, arguments and directives the
/// gateway's validator reads must be GraphQL.NET's, value for value, and so must its errors.
/// </summary>
public sealed class RepeatedDocumentValidatorTests
{
    private static readonly ISchema Schema = CreateSchema();

    public static TheoryData<string, string> Requests => new()
    {
        { "query($id: ID!, $size: Int) { item(id: $id, size: $size) { name(upper: true) children(first: 2) { name } } }", """{ "id": "1", "size": 5 }""" },
        { "query($id: ID!, $size: Int) { item(id: $id, size: $size) { name children { name } } }", """{ "id": "1" }""" },
        { "query($id: ID!, $size: Int = 7) { item(id: $id, size: $size) { name } }", """{ "id": "1" }""" },
        {
            """
            query($loud: Boolean = true, $times: Int) { item(id: "x") { ...Named pet { ... on Dog { barks(loud: $loud) } ... on Cat { meows(times: $times) } } } }
            fragment Named on Item { name(upper: $loud) ...Children again: children(first: 3) { ...Named2 } }
            fragment Children on Item { children(first: 1) { ...Named2 } }
            fragment Named2 on Item { name(upper: false) }
            """,
            """{ "times": 2 }"""
        },
        {
            """
            query($skip: Boolean!) { item(id: "1") { name @skip(if: $skip) ...Named @include(if: $skip) ... on Item @skip(if: false) { children(first: 1) { name } } } }
            fragment Named on Item { name }
            """,
            """{ "skip": true }"""
        },
        { "query($filter: Filter) { search(filter: $filter, first: 2) { name } }", """{ "filter": { "text": "a", "tags": ["x", "y"] } }""" },
        { "query($name: String!) { __type(name: $name) { name fields(includeDeprecated: true) { name } } }", """{ "name": "Item" }""" },
        // Not valid: GraphQL.NET's validator says why.
        { "query($size: Int) { item(id: \"1\", size: $size) { name } }", """{ "size": "many" }""" },
        { "query($id: ID) { item(id: $id) { name } }", """{ "id": null }""" },
        { "query($filter: Filter) { search(filter: $filter) { name } }", """{ "filter": { "tags": [null] } }""" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Reads_what_graphql_dotnets_validator_reads(string query, string variables)
    {
        var document = GraphQLParser.Parser.Parse(query);
        var inputs = new GraphQLSerializer().Deserialize<Inputs>(variables)!;
        var expected = Describe(await new DocumentValidator().ValidateAsync(Options(document, inputs)));
        var validator = new RepeatedDocumentValidator();

        // The second time from what it found the first time.
        Assert.Equal(expected, Describe(await validator.ValidateAsync(Options(document, inputs))));
        Assert.Equal(expected, Describe(await validator.ValidateAsync(Options(document, inputs))));
    }

    [Fact]
    public async Task Requests_with_other_variables_read_their_own_values()
    {
        var document = GraphQLParser.Parser.Parse("query($id: ID!, $skip: Boolean!) { item(id: $id) { name @skip(if: $skip) } }");
        var validator = new RepeatedDocumentValidator();

        foreach (var (id, skip) in new[] { ("1", true), ("2", false), ("3", true) })
        {
            var inputs = new Inputs(new Dictionary<string, object?> { ["id"] = id, ["skip"] = skip });
            var result = await validator.ValidateAsync(Options(document, inputs));
            Assert.Equal(Describe(await new DocumentValidator().ValidateAsync(Options(document, inputs))), Describe(result));
            Assert.Equal(id, result.ArgumentValues!.Single().Value["id"].Value);
        }
    }

    private static ValidationOptions Options(GraphQLDocument document, Inputs variables) => new()
    {
        Schema = Schema,
        Document = document,
        Operation = document.Definitions.OfType<GraphQLOperationDefinition>().Single(),
        Variables = variables,
        Extensions = Inputs.Empty,
        UserContext = new Dictionary<string, object?>(),
        Rules = [],
    };

    /// <summary>Everything a validation result gives execution, in document order.</summary>
    private static string Describe(IValidationResult result)
    {
        var serializer = new GraphQLSerializer();
        var text = new StringBuilder();
        foreach (var error in result.Errors)
        {
            text.Append("error ").Append(error.Message).Append(" ").Append(error.Code).AppendLine();
        }
        foreach (var variable in result.Variables ?? Variables.None)
        {
            text.Append("variable ").Append(variable.Name).Append('=').Append(serializer.Serialize(variable.Value))
                .Append(variable.IsDefault ? " default" : "").Append(variable.ValueSpecified ? " specified" : "").AppendLine();
        }
        foreach (var (field, arguments) in (result.ArgumentValues ?? new Dictionary<GraphQLField, IDictionary<string, ArgumentValue>>()).OrderBy(entry => entry.Key.Location.Start))
        {
            text.Append("field ").Append(field.Name.StringValue).Append('@').Append(field.Location.Start).Append(' ')
                .AppendJoin(",", arguments.Select(argument => $"{argument.Key}={serializer.Serialize(argument.Value.Value)}/{argument.Value.Source}")).AppendLine();
        }
        foreach (var (node, directives) in (result.DirectiveValues ?? new Dictionary<ASTNode, IDictionary<string, DirectiveInfo>>()).OrderBy(entry => entry.Key.Location.Start))
        {
            text.Append("directives ").Append(node.Kind).Append('@').Append(node.Location.Start).Append(' ')
                .AppendJoin(",", directives.Select(directive => $"{directive.Key}({string.Join(",", directive.Value.Arguments.Select(argument => $"{argument.Key}={serializer.Serialize(argument.Value.Value)}"))})")).AppendLine();
        }
        return text.ToString();
    }

    private static ISchema CreateSchema()
    {
        var schema = new GraphQL.Types.Schema { Query = new SampleQuery() };
        schema.Initialize();
        return schema;
    }

    private sealed class SampleQuery : ObjectGraphType
    {
        public SampleQuery()
        {
            Name = "Query";
            Field<ItemType>("item").Argument<NonNullGraphType<IdGraphType>>("id").Argument<IntGraphType>("size", argument => argument.DefaultValue = 3);
            Field<ListGraphType<ItemType>>("search").Argument<FilterType>("filter").Argument<IntGraphType>("first");
        }
    }

    private sealed class ItemType : ObjectGraphType
    {
        public ItemType()
        {
            Name = "Item";
            Field<StringGraphType>("name").Argument<BooleanGraphType>("upper", argument => argument.DefaultValue = false);
            Field<ListGraphType<ItemType>>("children").Argument<IntGraphType>("first");
            Field<PetType>("pet");
        }
    }

    private sealed class FilterType : InputObjectGraphType
    {
        public FilterType()
        {
            Name = "Filter";
            Field<StringGraphType>("text");
            Field<ListGraphType<NonNullGraphType<StringGraphType>>>("tags");
        }
    }

    private sealed class PetType : UnionGraphType
    {
        public PetType()
        {
            Name = "Pet";
            Type<DogType>();
            Type<CatType>();
            ResolveType = _ => null;
        }
    }

    private sealed class DogType : ObjectGraphType
    {
        public DogType()
        {
            Name = "Dog";
            Field<BooleanGraphType>("barks").Argument<BooleanGraphType>("loud");
        }
    }

    private sealed class CatType : ObjectGraphType
    {
        public CatType()
        {
            Name = "Cat";
            Field<IntGraphType>("meows").Argument<IntGraphType>("times", argument => argument.DefaultValue = 1);
        }
    }
}
