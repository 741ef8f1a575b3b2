using GraphQL;
using GraphQL.DI;

namespace Gateway.Caching;

/// <summary>Tells the client when part of its answer was served past its lifetime because Graph was rate-limited or
/// down: <c>extensions.cache { stale: true, age: seconds }</c>.</summary>
public sealed class CacheFreshnessExtension : IConfigureExecution
{
    public float SortOrder => 100;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        var result = await next(options);
        if (options.RequestServices?.GetService<ResponseFreshness>() is { StaleAge: { } age })
        {
            result.Extensions ??= [];
            result.Extensions["cache"] = new Dictionary<string, object?> { ["stale"] = true, ["age"] = (int)Math.Ceiling(age.TotalSeconds) };
        }
        return result;
    }
}
