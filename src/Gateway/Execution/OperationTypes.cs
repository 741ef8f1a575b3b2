using GraphQL.Transport;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace Gateway.Execution;

/// <summary>
/// Whether a request runs a query, a mutation or a subscription, known before it executes: that decides how its answer
/// is sent (JSON, or an event stream for a subscription) and whether GET may run it. A document that already passed
/// validation is taken from <see cref="ValidatedDocumentCache"/> rather than parsed again; a persisted operation is looked
/// up by its id or hash; a new document is parsed only within <see cref="QueryLimitsOptions.MaxTokens"/>, as execution does.
/// </summary>
public sealed class OperationTypes(PersistedOperations persisted, ValidatedDocumentCache documents, QueryLimitsOptions limits)
{
    /// <summary>The type of the operation the request selects; null when the document is unknown, does not parse or does
    /// not name one operation (executing it then reports why).</summary>
    public OperationType? Of(GraphQLRequest request)
    {
        var query = request.Query ?? persisted.QueryOf(request.DocumentId, request.Extensions);
        if (string.IsNullOrWhiteSpace(query))
        {
            return null;
        }
        var document = documents.Find(query, request.OperationName)
            ?? (GraphQLTokens.CountAtMost(query, limits.MaxTokens) > limits.MaxTokens ? null : TryParse(query));
        return document is null ? null : Select(document, request.OperationName)?.Operation;
    }

    /// <summary>The operation named <paramref name="operationName"/>, or the only one when no name is given.</summary>
    public static GraphQLOperationDefinition? Select(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        return operationName is not null
            ? operations.FirstOrDefault(operation => operation.Name?.StringValue == operationName)
            : operations.Count == 1 ? operations[0] : null;
    }

    public static GraphQLDocument? TryParse(string query)
    {
        try
        {
            return Parser.Parse(query);
        }
        catch (GraphQLParserException)
        {
            return null;
        }
    }
}
