using System.Runtime.CompilerServices;
using GraphQL.Introspection;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQLParser;
using GraphQLParser.AST;

namespace Gateway.Execution;

/// <summary>
/// <c>__Directive.isRepeatable</c>, in the spec since 2021 and asked for by graphql-js' <c>getIntrospectionQuery({
/// directiveIsRepeatable: true })</c>, which GraphQL.NET hides unless told.
/// </summary>
public sealed class SpecIntrospectionFilter : DefaultSchemaFilter
{
    public static void Enable(ISchema schema)
    {
        schema.Features.RepeatableDirectives = true;
        schema.Filter = new SpecIntrospectionFilter();
    }

    public override Task<bool> AllowField(IGraphType parent, IFieldType field)
        => field.Name == "isRepeatable" && parent.Name == "__Directive" ? Allowed : base.AllowField(parent, field);
}

/// <summary>
/// Introspection under the query limits. Its lists are as long as this schema makes them, not as long as the
/// complexity analysis' default guess (20 per list, which priced graphql-js' standard introspection query at half a
/// million), so the standard query costs about as many fields as it returns (4,771 today).
/// </summary>
public static class IntrospectionCost
{
    private static readonly ConditionalWeakTable<ISchema, SchemaSizes> Sizes = new();

    /// <summary>Costs introspection fields by the schema's sizes and hands every other field to <paramref name="otherFields"/>.</summary>
    public static Func<FieldImpactContext, FieldComplexityResult> Around(Func<FieldImpactContext, FieldComplexityResult> otherFields) => context =>
    {
        var field = context.FieldDefinition.Name;
        if (field is not ("__schema" or "__type") && !context.ParentType.Name.StartsWith("__", StringComparison.Ordinal))
        {
            return otherFields(context);
        }
        var sizes = Sizes.GetValue(context.ValidationContext.Schema, SchemaSizes.Of);
        // An item's children are multiplied by how many items the list holds on average in this schema.
        var items = field switch
        {
            "types" => sizes.Types,
            "directives" => sizes.Directives,
            "fields" => sizes.Fields / sizes.Types,
            "inputFields" => sizes.InputFields / sizes.Types,
            "enumValues" => sizes.EnumValues / sizes.Types,
            "interfaces" => sizes.Interfaces / sizes.Types,
            "possibleTypes" => sizes.PossibleTypes / sizes.Types,
            "args" when context.ParentType.Name == "__Directive" => sizes.DirectiveArguments / Math.Max(1, sizes.Directives),
            "args" => sizes.FieldArguments / Math.Max(1, sizes.Fields),
            _ => 1,
        };
        return new FieldComplexityResult(1, items);
    };

    private sealed record SchemaSizes(double Types, double Directives, double Fields, double InputFields, double EnumValues,
        double Interfaces, double PossibleTypes, double FieldArguments, double DirectiveArguments)
    {
        public static SchemaSizes Of(ISchema schema)
        {
            var types = schema.AllTypes.ToList();
            var outputFields = types.OfType<IComplexGraphType>().Where(type => type is not IInputObjectGraphType).SelectMany(type => type.Fields).ToList();
            return new SchemaSizes(
                Types: types.Count,
                Directives: schema.Directives.Count,
                Fields: outputFields.Count,
                InputFields: types.OfType<IInputObjectGraphType>().Sum(type => type.Fields.Count),
                EnumValues: types.OfType<EnumerationGraphType>().Sum(type => type.Values.Count),
                Interfaces: types.OfType<IImplementInterfaces>().Sum(type => type.ResolvedInterfaces.Count),
                PossibleTypes: types.OfType<IAbstractGraphType>().Sum(type => type.PossibleTypes.Count),
                FieldArguments: outputFields.Sum(field => field.Arguments?.Count ?? 0),
                DirectiveArguments: schema.Directives.Sum(directive => directive.Arguments?.Count ?? 0));
        }
    }
}

/// <summary>
/// Refuses introspection when it is turned off, and introspection shaped to be expensive whatever the limits: <c>__schema</c>
/// twice, <c>ofType</c>
/// chains longer than graphql-js' standard query asks for (9: <c>[[T!]!]!</c> needs 5), and lists of types nested in lists
/// of types (<c>fields { type { fields { type { fields</c>), as graphql-js' own <c>MaxIntrospectionDepthRule</c> does.
/// </summary>
public sealed class IntrospectionRule(bool enabled) : ValidationRuleBase
{
    public const int MaxOfTypeChain = 9;

    /// <summary>graphql-js' limit: a path through introspection may pass at most two of <see cref="TypeLists"/>.</summary>
    public const int MaxNestedTypeLists = 2;

    private static readonly HashSet<string> TypeLists = ["fields", "interfaces", "possibleTypes", "inputFields"];

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var schemaFields = 0;
        return new(new MatchingNodeVisitor<GraphQLField>((field, validation) =>
        {
            if (field.Name.Value != "__schema" && field.Name.Value != "__type")
            {
                return;
            }
            if (!enabled)
            {
                validation.ReportError(new ValidationError(validation.Document.Source, null,
                    "Introspection is not allowed on this endpoint.", field) { Code = "INTROSPECTION_NOT_ALLOWED" });
            }
            else if (field.Name.Value == "__schema" && ++schemaFields == 2)
            {
                validation.ReportError(new ValidationError(validation.Document.Source, null,
                    "`__schema` may appear once in a document: one answer holds the whole schema.", field) { Code = "INTROSPECTION_REPEATED" });
            }
            else if (IsTooDeep(field.SelectionSet, validation.Document, ofTypeChain: 0, typeLists: 0, fragments: []))
            {
                validation.ReportError(new ValidationError(validation.Document.Source, null,
                    $"Introspection nests too deep: at most {MaxOfTypeChain} `ofType` in a row and {MaxNestedTypeLists} nested lists of types or fields.",
                    field) { Code = "INTROSPECTION_TOO_DEEP" });
            }
        }));
    }

    private static bool IsTooDeep(GraphQLSelectionSet? selectionSet, GraphQLDocument document, int ofTypeChain, int typeLists, HashSet<string> fragments)
    {
        foreach (var selection in selectionSet?.Selections ?? [])
        {
            var tooDeep = selection switch
            {
                GraphQLField field => IsTooDeep(field, document, ofTypeChain, typeLists, fragments),
                GraphQLInlineFragment inline => IsTooDeep(inline.SelectionSet, document, ofTypeChain, typeLists, fragments),
                // A fragment already on the path is a cycle, which another rule reports.
                GraphQLFragmentSpread spread when fragments.Add(spread.FragmentName.Name.StringValue) =>
                    IsTooDeepThenLeave(document.FindFragmentDefinition(spread.FragmentName.Name.Value)?.SelectionSet, spread.FragmentName.Name.StringValue),
                _ => false,
            };
            if (tooDeep)
            {
                return true;
            }
        }
        return false;

        bool IsTooDeepThenLeave(GraphQLSelectionSet? fragment, string name)
        {
            var tooDeep = IsTooDeep(fragment, document, ofTypeChain, typeLists, fragments);
            fragments.Remove(name);
            return tooDeep;
        }
    }

    private static bool IsTooDeep(GraphQLField field, GraphQLDocument document, int ofTypeChain, int typeLists, HashSet<string> fragments)
    {
        var name = field.Name.StringValue;
        ofTypeChain = name == "ofType" ? ofTypeChain + 1 : 0;
        typeLists += TypeLists.Contains(name) ? 1 : 0;
        return ofTypeChain > MaxOfTypeChain || typeLists > MaxNestedTypeLists
            || IsTooDeep(field.SelectionSet, document, ofTypeChain, typeLists, fragments);
    }
}
