using Gateway.Api;
using GraphQL;
using GraphQL.DI;
using GraphQL.Execution;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using GraphQLParser.Visitors;

namespace Gateway.Execution;

/// <summary>
/// Refuses a new document, before any validation rule runs, when it is larger than any real operation: more tokens
/// than allowed (counted before parsing, stopping at the limit, so a 1 MB body costs what the limit costs), more
/// fields than allowed, or one field repeated under more aliases than allowed. Validation is not linear in the document
/// (repeated fields and directives are compared pairwise), so a 1 MB body of <c>__typename</c> once burned CPU for
/// minutes. Documents from the <see cref="ValidatedDocumentCache"/> passed this check when they were first seen.
/// </summary>
public sealed class DocumentLimits(IDocumentBuilder documentBuilder, QueryLimitsOptions limits) : IConfigureExecution
{
    /// <summary>Inside the document cache (200), which hands over the documents it already holds.</summary>
    public float SortOrder => 250;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.Document is null && options.Query is { } query)
        {
            if (GraphQLTokens.CountAtMost(query, limits.MaxTokens) > limits.MaxTokens)
            {
                return new ExecutionResult(new GatewayError("DOCUMENT_TOO_LARGE",
                    $"The document has more than {limits.MaxTokens} tokens; split it into smaller operations.",
                    new Dictionary<string, object?> { ["maxTokens"] = limits.MaxTokens }));
            }
            try
            {
                options.Document = documentBuilder.Build(query);
            }
            catch (GraphQLParserException)
            {
                // The executer parses it again and reports the syntax or depth error the usual way.
                return await next(options);
            }
            var counter = new Counter(limits, options.CancellationToken);
            await counter.VisitAsync(options.Document, counter);
            if (counter.Refusal is { } refusal)
            {
                return new ExecutionResult(refusal);
            }
        }
        // Cached documents too: the count is in the variables, and coercing 20,000 of them is most of the cost.
        return options.Document is not null && EntityRepresentations.Refusal(options.Document, options.Variables, limits.MaxEntityRepresentations) is { } tooMany
            ? new ExecutionResult(tooMany)
            : await next(options);
    }

    private sealed class Counter(QueryLimitsOptions limits, CancellationToken cancellationToken) : ASTVisitor<Counter>, IASTVisitorContext
    {
        private int _fields;

        public CancellationToken CancellationToken => cancellationToken;

        public GatewayError? Refusal { get; private set; }

        public override ValueTask VisitAsync(ASTNode? node, Counter context) => Refusal is null ? base.VisitAsync(node, context) : default;

        protected override ValueTask VisitFieldAsync(GraphQLField field, Counter context)
        {
            if (++_fields > limits.MaxFields)
            {
                Refusal = new GatewayError("MAX_FIELDS_EXCEEDED", $"The document selects more than {limits.MaxFields} fields; split it into smaller operations.",
                    new Dictionary<string, object?> { ["maxFields"] = limits.MaxFields });
                return default;
            }
            return base.VisitFieldAsync(field, context);
        }

        /// <summary>After its fields are counted, so that a huge selection set is refused by the count, without grouping.</summary>
        protected override async ValueTask VisitSelectionSetAsync(GraphQLSelectionSet selectionSet, Counter context)
        {
            await base.VisitSelectionSetAsync(selectionSet, context);
            if (Refusal is not null)
            {
                return;
            }
            var repeated = selectionSet.Selections.OfType<GraphQLField>()
                .GroupBy(field => field.Name.StringValue)
                .FirstOrDefault(group => group.Count() > limits.MaxAliasesPerField);
            if (repeated is not null)
            {
                Refusal = new GatewayError("ALIASES_LIMIT",
                    $"The field '{repeated.Key}' appears {repeated.Count()} times in one selection set; at most {limits.MaxAliasesPerField} are allowed.");
            }
        }
    }
}
