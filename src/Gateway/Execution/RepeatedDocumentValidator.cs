using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;

namespace Gateway.Execution;

/// <summary>
/// GraphQL.NET's document validator, except for a document <see cref="ValidatedDocumentCache"/> already holds with no rule
/// left to run. Such a request still needs its variables coerced and its arguments and directives read, and GraphQL.NET
/// walks the whole document for both on every request (finding where each variable is used, then every field's
/// arguments): a tenth of the CPU of an uncached inbox read once the execution itself was inlined. Here the places are
/// found once per operation (<see cref="Sites"/>), and a request only reads its values at them. Anything that is not
/// valid (a variable that does not coerce, an argument that does not parse) goes to GraphQL.NET's validator, which
/// reports it as it always does.
/// </summary>
public sealed class RepeatedDocumentValidator : IDocumentValidator
{
    private readonly DocumentValidator _validator = new();
    private readonly ConditionalWeakTable<GraphQLOperationDefinition, Sites> _sites = new();

    public Task<IValidationResult> ValidateAsync(in ValidationOptions options)
    {
        if (options.Rules is not { } rules || rules.Any() || options.Operation is not { } operation)
        {
            return _validator.ValidateAsync(options);
        }
        if (!_sites.TryGetValue(operation, out var sites))
        {
            sites = Sites.Find(operation, options.Schema, options.Document);
            _sites.AddOrUpdate(operation, sites);
        }
        return ReadAsync(options, sites);
    }

    private async Task<IValidationResult> ReadAsync(ValidationOptions options, Sites sites)
    {
        var context = sites.Rent(options);
        Variables variables;
        List<ValidationError>? errors;
        try
        {
            (variables, errors) = await context.GetVariablesValuesAsync();
        }
        finally
        {
            sites.Return(context);
        }
        if (errors is not null)
        {
            return await _validator.ValidateAsync(options);
        }
        try
        {
            var arguments = sites.Arguments.Count == 0 ? null : new Dictionary<GraphQLField, IDictionary<string, ArgumentValue>>(sites.Arguments.Count);
            foreach (var (field, definition) in sites.Arguments)
            {
                if (ExecutionHelper.GetArguments(definition.Arguments, field.Arguments, variables, options.Document, field, null) is { } values)
                {
                    arguments!.Add(field, values);
                }
            }
            var directives = sites.Directed.Count == 0 ? null : new Dictionary<ASTNode, IDictionary<string, DirectiveInfo>>(sites.Directed.Count);
            foreach (var node in sites.Directed)
            {
                if (ExecutionHelper.GetDirectives((IHasDirectivesNode)node, variables, options.Schema, options.Document) is { } values)
                {
                    directives!.Add(node, values);
                }
            }
            return new ValidationResult([])
            {
                Variables = variables,
                ArgumentValues = arguments is { Count: > 0 } ? arguments : null,
                DirectiveValues = directives is { Count: > 0 } ? directives : null,
            };
        }
        catch (ValidationError)
        {
            return await _validator.ValidateAsync(options);
        }
    }

    /// <summary>Where an operation reads arguments and directives, as GraphQL.NET's argument visitor finds them: the
    /// operation's selections and the fragments they reach, each fragment once, fields typed by the enclosing object,
    /// interface or type condition. With them, validation contexts that already know where each variable is used:
    /// GraphQL.NET's context remembers that per operation until it is reset, so these are kept rather than reset.</summary>
    private sealed class Sites
    {
        private readonly ConcurrentBag<ValidationContext> _contexts = [];

        public List<(GraphQLField Field, FieldType Definition)> Arguments { get; } = [];

        public List<ASTNode> Directed { get; } = [];

        public static Sites Find(GraphQLOperationDefinition operation, ISchema schema, GraphQLDocument document)
        {
            var found = new Sites();
            AddDirected(found, operation);
            foreach (var variable in operation.Variables?.Items ?? [])
            {
                AddDirected(found, variable);
            }
            IComplexGraphType? root = operation.Operation switch
            {
                OperationType.Query => schema.Query,
                OperationType.Mutation => schema.Mutation,
                OperationType.Subscription => schema.Subscription,
                _ => null,
            };
            if (root is not null)
            {
                Walk(found, operation.SelectionSet, root, schema, document, []);
            }
            return found;
        }

        private static void Walk(Sites found, GraphQLSelectionSet selectionSet, IComplexGraphType? type, ISchema schema, GraphQLDocument document, HashSet<ROM> visitedFragments)
        {
            foreach (var selection in selectionSet.Selections)
            {
                AddDirected(found, selection);
                switch (selection)
                {
                    case GraphQLField field:
                        var definition = field.Name.Value == schema.TypeMetaFieldType.Name ? schema.TypeMetaFieldType
                            : field.Name.Value == schema.TypeNameMetaFieldType.Name ? schema.TypeNameMetaFieldType
                            : field.Name.Value == schema.SchemaMetaFieldType.Name ? schema.SchemaMetaFieldType
                            : type?.Fields.Find(field.Name.Value);
                        if (definition is null)
                        {
                            continue;
                        }
                        if (field.Arguments is { Count: > 0 })
                        {
                            found.Arguments.Add((field, definition));
                        }
                        if (field.SelectionSet is { } inner)
                        {
                            var named = definition.ResolvedType?.GetNamedType();
                            if (named is IComplexGraphType complex)
                            {
                                Walk(found, inner, complex, schema, document, visitedFragments);
                            }
                            else if (named is UnionGraphType)
                            {
                                Walk(found, inner, type, schema, document, visitedFragments);
                            }
                        }
                        break;
                    case GraphQLInlineFragment inline:
                        WalkFragment(found, inline.TypeCondition, inline.SelectionSet, type, schema, document, visitedFragments);
                        break;
                    case GraphQLFragmentSpread spread when visitedFragments.Add(spread.FragmentName.Name.Value)
                        && document.FindFragmentDefinition(spread.FragmentName.Name.Value) is { } fragment:
                        AddDirected(found, fragment);
                        WalkFragment(found, fragment.TypeCondition, fragment.SelectionSet, type, schema, document, visitedFragments);
                        break;
                }
            }
        }

        private static void WalkFragment(Sites found, GraphQLTypeCondition? condition, GraphQLSelectionSet selectionSet, IComplexGraphType? type,
            ISchema schema, GraphQLDocument document, HashSet<ROM> visitedFragments)
        {
            if (condition is null)
            {
                Walk(found, selectionSet, type, schema, document, visitedFragments);
                return;
            }
            switch (schema.AllTypes[condition.Type.Name.Value]?.GetNamedType())
            {
                case IComplexGraphType complex:
                    Walk(found, selectionSet, complex, schema, document, visitedFragments);
                    break;
                case IAbstractGraphType:
                    Walk(found, selectionSet, type, schema, document, visitedFragments);
                    break;
            }
        }

        private static void AddDirected(Sites found, ASTNode node)
        {
            if (node is IHasDirectivesNode { Directives.Count: > 0 })
            {
                found.Directed.Add(node);
            }
        }

        public ValidationContext Rent(ValidationOptions options)
        {
            var context = _contexts.TryTake(out var kept) ? kept : new ValidationContext();
            context.Schema = options.Schema;
            context.Document = options.Document;
            context.Operation = options.Operation!;
            context.Variables = options.Variables;
            context.Extensions = options.Extensions;
            context.UserContext = options.UserContext;
            context.RequestServices = options.RequestServices;
            context.User = options.User;
            context.Metrics = options.Metrics;
            context.CancellationToken = options.CancellationToken;
            return context;
        }

        // What belongs to the request goes; what belongs to the operation stays.
        public void Return(ValidationContext context)
        {
            context.Variables = Inputs.Empty;
            context.Extensions = Inputs.Empty;
            context.UserContext = null!;
            context.RequestServices = null;
            context.User = null;
            context.Metrics = null!;
            context.CancellationToken = default;
            _contexts.Add(context);
        }
    }
}
