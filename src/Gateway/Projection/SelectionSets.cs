using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Gateway.Projection;

/// <summary>
/// Reads a field's selection set the way the executor will: fragments (named and inline) expanded for the given type,
/// <c>@skip</c>/<c>@include</c> applied with the request's variables, arguments evaluated. This is what lets a parent
/// resolver put its children's fields into one Graph API call.
/// </summary>
public static class SelectionSets
{
    /// <summary>The fields selected on an object of <paramref name="typeName"/>.</summary>
    public static IEnumerable<GraphQLField> FieldsOn(IResolveFieldContext context, GraphQLSelectionSet? selectionSet, string typeName)
    {
        if (selectionSet is null)
        {
            yield break;
        }
        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case GraphQLField field when IsIncluded(context, field.Directives):
                    yield return field;
                    break;
                case GraphQLInlineFragment inline when IsIncluded(context, inline.Directives) && Applies(context, inline.TypeCondition, typeName):
                    foreach (var field in FieldsOn(context, inline.SelectionSet, typeName))
                    {
                        yield return field;
                    }
                    break;
                case GraphQLFragmentSpread spread when IsIncluded(context, spread.Directives):
                    var fragment = context.Document.Definitions.OfType<GraphQLFragmentDefinition>()
                        .FirstOrDefault(definition => definition.FragmentName.Name == spread.FragmentName.Name);
                    if (fragment is not null && Applies(context, fragment.TypeCondition, typeName))
                    {
                        foreach (var field in FieldsOn(context, fragment.SelectionSet, typeName))
                        {
                            yield return field;
                        }
                    }
                    break;
            }
        }
    }

    /// <summary>The selected fields named <paramref name="name"/> (several when aliased).</summary>
    public static IEnumerable<GraphQLField> Named(this IEnumerable<GraphQLField> fields, string name)
        => fields.Where(field => field.Name.Value == name);

    /// <summary>The child selections of the fields named <paramref name="name"/>, on objects of <paramref name="typeName"/>.</summary>
    public static IEnumerable<GraphQLField> Children(this IEnumerable<GraphQLField> fields, IResolveFieldContext context, string name, string typeName)
        => fields.Named(name).SelectMany(field => FieldsOn(context, field.SelectionSet, typeName));

    /// <summary>An argument's value, literal or from a variable; null when absent.</summary>
    public static object? Argument(IResolveFieldContext context, GraphQLField field, string name)
    {
        var argument = field.Arguments?.Items.FirstOrDefault(a => a.Name.Value == name);
        return argument is null ? null : Evaluate(context, argument.Value);
    }

    private static bool IsIncluded(IResolveFieldContext context, GraphQLDirectives? directives)
    {
        if (directives is null)
        {
            return true;
        }
        foreach (var directive in directives.Items)
        {
            var condition = directive.Arguments?.Items.FirstOrDefault(a => a.Name.Value == "if") is { } argument
                && Evaluate(context, argument.Value) is true;
            if (directive.Name.Value == "skip" && condition || directive.Name.Value == "include" && !condition)
            {
                return false;
            }
        }
        return true;
    }

    private static bool Applies(IResolveFieldContext context, GraphQLTypeCondition? condition, string typeName)
    {
        if (condition is null || condition.Type.Name.Value == typeName)
        {
            return true;
        }
        return context.Schema.AllTypes[condition.Type.Name.StringValue] is IAbstractGraphType abstractType
            && abstractType.PossibleTypes.Any(type => type.Name == typeName);
    }

    private static object? Evaluate(IResolveFieldContext context, GraphQLValue value) => value switch
    {
        GraphQLVariable variable => context.Variables.ValueFor(variable.Name.Value, out var argument) ? argument.Value : null,
        GraphQLIntValue integer => int.TryParse(integer.Value, out var number) ? number : null,
        GraphQLBooleanValue boolean => boolean.BoolValue,
        GraphQLStringValue text => text.Value.ToString(),
        GraphQLEnumValue enumValue => enumValue.Name.StringValue,
        _ => null,
    };
}
