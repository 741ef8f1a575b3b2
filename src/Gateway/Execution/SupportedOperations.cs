using GraphQL.Validation;
using GraphQLParser.AST;

namespace Gateway.Execution;

/// <summary>An operation of a type the schema has no root for (a mutation, before any exists) is told so, instead of
/// GraphQL.NET's opaque "Error executing document.".</summary>
public sealed class SupportedOperations : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
        => new(new MatchingNodeVisitor<GraphQLOperationDefinition>((operation, validation) =>
        {
            var root = operation.Operation switch
            {
                OperationType.Mutation => validation.Schema.Mutation,
                OperationType.Subscription => validation.Schema.Subscription,
                _ => validation.Schema.Query,
            };
            if (root is null)
            {
                var kind = operation.Operation.ToString().ToLowerInvariant();
                validation.ReportError(new ValidationError(validation.Document.Source, null,
                    $"This schema has no {kind} type: it does not run {kind}s.", operation) { Code = "OPERATION_NOT_SUPPORTED" });
            }
        }));
}
