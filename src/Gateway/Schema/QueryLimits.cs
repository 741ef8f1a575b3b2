using GraphQL.Validation;
using GraphQLParser.AST;

namespace Gateway.Schema;

/// <summary>Bounds on what one operation may ask for, checked before anything executes.</summary>
public sealed class QueryLimitsOptions
{
    public const string Section = "Gateway:Limits";

    /// <summary>Deep enough for the IDE's introspection query, shallow enough to refuse pathological nesting.</summary>
    public int MaxDepth { get; set; } = 15;

    /// <summary>With list multipliers from <c>first</c>/<c>last</c>: a 50 × 50 inbox fits, 50 × 50 × 50 does not.</summary>
    public int MaxComplexity { get; set; } = 50_000;

    /// <summary>How often one field may appear (under aliases) in one selection set; 120 <c>message(id:)</c> fit.</summary>
    public int MaxAliasesPerField { get; set; } = 200;

    /// <summary>HotChocolate's default execution timeout.</summary>
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Refuses a selection set that repeats one field under more aliases than allowed.</summary>
public sealed class MaxAliasesPerFieldRule(int maxAliases) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
        => new(new MatchingNodeVisitor<GraphQLSelectionSet>((selectionSet, validation) =>
        {
            var repeated = selectionSet.Selections.OfType<GraphQLField>()
                .GroupBy(field => field.Name.StringValue)
                .FirstOrDefault(group => group.Count() > maxAliases);
            if (repeated is not null)
            {
                validation.ReportError(new ValidationError(validation.Document.Source, null,
                    $"The field '{repeated.Key}' appears {repeated.Count()} times in one selection set; at most {maxAliases} are allowed.",
                    selectionSet) { Code = "ALIASES_LIMIT" });
            }
        }));
}
