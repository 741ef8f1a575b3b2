using System.Collections.Concurrent;
using System.Text;
using GraphQL;
using GraphQL.DI;
using GraphQLParser.AST;
using Microsoft.Extensions.Caching.Memory;

namespace Gateway.Execution;

/// <summary>
/// Parsed documents that passed validation, by query text and operation name. Frontends send the same few operations
/// over and over, so a repeat skips parsing and the static validation rules, which were a fifth of the gateway's CPU
/// per inbox query.
/// <para>
/// The rules registered for cached documents (complexity: <c>first</c>/<c>last</c> multiply, <c>@skip</c>/<c>@include</c>
/// prune) depend on the variables, but only on their numbers and booleans; ids, cursors and enums change nothing. A
/// document remembers the numbers and booleans it passed those rules with, and a repeat with the same ones skips them
/// too. Variables are still coerced on every request.
/// </para>
/// </summary>
public sealed class ValidatedDocumentCache : IConfigureExecution, IDisposable
{
    /// <summary>Query text the cache may hold, in characters; a parsed document takes roughly ten times that in memory.</summary>
    public const long MaxCachedQueryCharacters = 1_000_000;

    /// <summary>Distinct paging sizes and flags remembered per document; past it, the rules simply run.</summary>
    public const int MaxRememberedVariableShapes = 64;

    private const int MaxVariableShapeLength = 256;

    private readonly MemoryCache _documents = new(new MemoryCacheOptions { SizeLimit = MaxCachedQueryCharacters });

    /// <summary>After the option configurations (100), which set <see cref="ExecutionOptions.CachedDocumentValidationRules"/>.</summary>
    public float SortOrder => 200;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.Document is not null || options.Query is not { } query)
        {
            return await next(options);
        }
        var shape = NumbersAndBooleans(options.Variables);
        // Complexity is computed for the operation that runs, so what a document passed with is remembered per operation.
        var key = (query, options.OperationName);
        if (_documents.TryGetValue(key, out ValidatedDocument? cached))
        {
            options.Document = cached!.Document;
            options.ValidationRules = shape is not null && cached.PassedWith(shape) ? [] : options.CachedDocumentValidationRules ?? [];
        }
        // A new document is parsed within the size limits by DocumentLimits, inside this.
        var result = await next(options);
        // Executed means it passed every validation rule that ran; documents that failed are never cached.
        if (result.Executed && options.Document is not null)
        {
            if (cached is null)
            {
                cached = new ValidatedDocument(options.Document);
                _documents.Set(key, cached, new MemoryCacheEntryOptions { Size = query.Length + (options.OperationName?.Length ?? 0) });
            }
            if (shape is not null)
            {
                cached.Remember(shape);
            }
        }
        return result;
    }

    public void Dispose() => _documents.Dispose();

    /// <summary>The parsed document of a query that already passed validation, if this cache holds it.</summary>
    public GraphQLDocument? Find(string query, string? operationName)
        => _documents.TryGetValue((query, operationName), out ValidatedDocument? cached) ? cached!.Document : null;

    /// <summary>The variables' numbers and booleans by name, e.g. <c>conversations=10;messages=10;</c>; null when a
    /// variable holds a list or an object, whose contents this does not look into, or when there are too many to remember.</summary>
    private static string? NumbersAndBooleans(Inputs? variables)
    {
        if (variables is null || variables.Count == 0)
        {
            return "";
        }
        var shape = new StringBuilder();
        foreach (var (name, value) in variables.OrderBy(variable => variable.Key, StringComparer.Ordinal))
        {
            switch (value)
            {
                case string:
                    continue;
                case null or bool or int or long or double or decimal or System.Numerics.BigInteger:
                    shape.Append(name).Append('=').Append(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null").Append(';');
                    continue;
                default:
                    return null;
            }
        }
        return shape.Length <= MaxVariableShapeLength ? shape.ToString() : null;
    }

    private sealed class ValidatedDocument(GraphQLDocument document)
    {
        private readonly ConcurrentDictionary<string, bool> _passedWith = new(StringComparer.Ordinal);

        public GraphQLDocument Document { get; } = document;

        public bool PassedWith(string shape) => _passedWith.ContainsKey(shape);

        public void Remember(string shape)
        {
            if (_passedWith.Count < MaxRememberedVariableShapes)
            {
                _passedWith.TryAdd(shape, true);
            }
        }
    }
}
