using System.Collections;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Gateway.Schema;

/// <summary>Refuses an <c>_entities</c> call with more representations than allowed, before anything executes. The
/// count is known only once variables are coerced, so this runs on cached documents too.</summary>
public sealed class EntityRepresentationsRule(int maxRepresentations) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPostNodeVisitorAsync(ValidationContext context)
        => new(context.ArgumentValues is null ? null : new MatchingNodeVisitor<GraphQLField>((field, validation) =>
        {
            if (field.Name.StringValue == "_entities"
                && validation.ArgumentValues!.TryGetValue(field, out var arguments)
                && arguments.TryGetValue("representations", out var representations)
                && representations.Value is ICollection { Count: var count } && count > maxRepresentations)
            {
                validation.ReportError(new ValidationError(validation.Document.Source, null,
                    $"`_entities` was sent {count} representations; at most {maxRepresentations} are allowed in one request.", field)
                    { Code = "MAX_REPRESENTATIONS_EXCEEDED" });
            }
        }));
}
