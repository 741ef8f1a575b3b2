using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQL.Utilities;

namespace Gateway.Execution;

/// <summary>The one SDL printer, used by <c>?sdl</c>, <c>_service { sdl }</c>, <c>schema export</c> and the schema
/// snapshot test, so the committed <c>schema/schema.graphql</c> is exactly what composition sees.</summary>
public static class SchemaSdl
{
    /// <summary>What <c>@apollo/subgraph</c>'s <c>printSubgraphSchema</c> leaves out: the definitions of <c>@link</c> and
    /// its types, which every composer and router knows. GraphQL.NET prints them once the link specification itself is
    /// no longer linked (see <c>GatewaySchema</c>).</summary>
    private static readonly string[] LinkDefinitions = ["directive @link(", "enum link__", "scalar link__"];

    public static string Print(ISchema schema)
    {
        var sdl = schema.Print(new PrintOptions
        {
            IncludeDescriptions = true,
            IncludeDeprecationReasons = true,
            IncludeFederationTypes = false,
            IncludeFederationDefinitions = false,
            IncludeImportedDefinitions = false,
        }).ReplaceLineEndings("\n");
        // The printer separates top-level definitions by one blank line and writes descriptions on one line.
        var definitions = sdl.Split("\n\n").Where(definition => !LinkDefinitions.Any(definition.TrimStart().StartsWith));
        return string.Join("\n\n", definitions).TrimEnd() + "\n";
    }
}

/// <summary>Makes <c>_service { sdl }</c>, which routers and <c>rover subgraph introspect</c> read, answer with
/// <see cref="SchemaSdl.Print"/> rather than GraphQL.NET's own printing.</summary>
public sealed class ServiceSdlVisitor : BaseSchemaNodeVisitor
{
    public override void VisitObjectFieldDefinition(FieldType field, IObjectGraphType type, ISchema schema)
    {
        if (type.Name == "_Service" && field.Name == "sdl")
        {
            var sdl = new Lazy<string>(() => SchemaSdl.Print(schema));
            field.Resolver = new FuncFieldResolver<string>(_ => sdl.Value);
        }
    }
}
