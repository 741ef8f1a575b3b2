using GraphQL;
using GraphQL.DI;

namespace Gateway.Caching;

/// <summary>Tells the client when part of its answer may be out of date: <c>extensions.cache { stale: true, age: seconds,
/// reason }</c>, the reason being <c>REFRESHING</c> (a webhook said it changed and the new answer is on its way) or
/// <c>UPSTREAM_UNAVAILABLE</c> (served past its lifetime because Graph was rate-limited or down).</summary>
public sealed class CacheFreshnessExtension : IConfigureExecution
{
    public float SortOrder => 100;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        var result = await next(options);
        if (options.RequestServices?.GetService<ResponseFreshness>() is { StaleAge: { } age, Reason: { } reason })
        {
            result.Extensions ??= [];
            result.Extensions["cache"] = new Dictionary<string, object?>
            {
                ["stale"] = true,
                ["age"] = (int)Math.Ceiling(age.TotalSeconds),
                ["reason"] = reason == StaleReason.Refreshing ? "REFRESHING" : "UPSTREAM_UNAVAILABLE",
            };
        }
        return result;
    }
}
