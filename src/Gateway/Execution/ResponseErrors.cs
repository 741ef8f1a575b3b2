using Gateway.Api;
using GraphQL;
using GraphQL.DI;

namespace Gateway.Execution;

/// <summary>
/// Keeps an answer's errors proportionate to the request: past <see cref="QueryLimitsOptions.MaxErrors"/> one error
/// says how many more were left out, and no error lists a location twice or appears twice. (Loaders give each field its
/// own copy of a shared failure; before they did, 20,000 failing <c>_entities</c> made a 28 MB answer of 20,000 errors
/// with 50 copies of one location each. This keeps that true whatever throws.)
/// </summary>
public sealed class ResponseErrors(QueryLimitsOptions limits) : IConfigureExecution
{
    /// <summary>Outermost: it sees the errors of every stage.</summary>
    public float SortOrder => 50;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        var result = await next(options);
        if (result.Errors is not { Count: > 0 } errors)
        {
            return result;
        }
        var distinct = new HashSet<ExecutionError>(ReferenceEqualityComparer.Instance);
        var kept = new ExecutionErrors();
        var omitted = 0;
        foreach (var error in errors)
        {
            if (!distinct.Add(error))
            {
                continue;
            }
            if (kept.Count == limits.MaxErrors)
            {
                omitted++;
                continue;
            }
            if (error.Locations is { Count: > 1 } locations)
            {
                var unique = locations.Distinct().ToList();
                locations.Clear();
                locations.AddRange(unique);
            }
            kept.Add(error);
        }
        if (omitted > 0)
        {
            kept.Add(new GatewayError("ERRORS_TRUNCATED", $"{omitted} more errors were left out; at most {limits.MaxErrors} are reported.",
                new Dictionary<string, object?> { ["omitted"] = omitted }));
        }
        result.Errors = kept;
        return result;
    }
}
