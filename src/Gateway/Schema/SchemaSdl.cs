using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;

namespace Gateway.Schema;

/// <summary>The one SDL printer, used by <c>?sdl</c>, <c>schema export</c> and the schema snapshot test,
/// so the committed <c>schema/schema.graphql</c> is exactly what composition sees.</summary>
public static class SchemaSdl
{
    public static string Print(ISchema schema)
        => schema.Print(new PrintOptions { IncludeDescriptions = true, IncludeDeprecationReasons = true, IncludeFederationTypes = false })
            .ReplaceLineEndings("\n").TrimEnd() + "\n";
}
