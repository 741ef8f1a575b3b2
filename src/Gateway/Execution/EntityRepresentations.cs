using System.Collections;
using Gateway.Api;
using GraphQL;
using GraphQLParser.AST;

namespace Gateway.Execution;

/// <summary>The cap on representations in one <c>_entities</c> call, checked before variables are coerced (a router
/// sends them as a variable; a literal list counts too).</summary>
public static class EntityRepresentations
{
    public static GatewayError? Refusal(GraphQLDocument document, Inputs? variables, int max)
    {
        foreach (var definition in document.Definitions)
        {
            var selectionSet = definition switch
            {
                GraphQLOperationDefinition operation => operation.SelectionSet,
                GraphQLFragmentDefinition fragment => fragment.SelectionSet,
                _ => null,
            };
            if (selectionSet is not null && Count(selectionSet, variables) is var count && count > max)
            {
                return new GatewayError("MAX_REPRESENTATIONS_EXCEEDED",
                    $"`_entities` was sent {count} representations; at most {max} are allowed in one request.",
                    new Dictionary<string, object?> { ["maxRepresentations"] = max });
            }
        }
        return null;
    }

    /// <summary>The most representations any <c>_entities</c> in the selection set is given; only the root type has it,
    /// so nested selection sets are not searched, but inline fragments (which keep the type) are.</summary>
    private static int Count(GraphQLSelectionSet selectionSet, Inputs? variables)
    {
        var most = 0;
        foreach (var selection in selectionSet.Selections)
        {
            var count = selection switch
            {
                GraphQLField { Name.StringValue: "_entities" } field => field.Arguments?.FirstOrDefault(a => a.Name.StringValue == "representations")?.Value switch
                {
                    GraphQLListValue list => list.Values?.Count ?? 0,
                    GraphQLVariable variable when variables?.TryGetValue(variable.Name.StringValue, out var value) == true && value is ICollection items => items.Count,
                    _ => 0,
                },
                GraphQLInlineFragment inline => Count(inline.SelectionSet, variables),
                _ => 0,
            };
            most = Math.Max(most, count);
        }
        return most;
    }
}
