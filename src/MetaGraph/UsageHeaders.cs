using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MetaGraph.Json;

namespace MetaGraph;

/// <summary>Reads <c>X-App-Usage</c> and <c>X-Business-Use-Case-Usage</c>. They are advisory: a malformed header
/// is ignored, never thrown, so it can never fail a call that otherwise succeeded.</summary>
public static class UsageHeaders
{
    public const string AppUsage = "X-App-Usage";
    public const string BusinessUseCaseUsage = "X-Business-Use-Case-Usage";

    public static GraphUsage Read(HttpResponseHeaders headers)
    {
        var app = Parse(headers, AppUsage, MetaGraphJsonContext.Default.AppUsageHeader) is { } appHeader
            ? new AppUsage(appHeader.CallCount, appHeader.TotalTime, appHeader.TotalCpuTime)
            : null;
        var businessUseCase = Parse(headers, BusinessUseCaseUsage,
            MetaGraphJsonContext.Default.DictionaryStringListBusinessUseCaseUsageHeader);
        if (app is null && businessUseCase is null)
        {
            return GraphUsage.None;
        }
        return new GraphUsage(app, businessUseCase?.ToDictionary(
            entry => entry.Key,
            // A null list or item is malformed input: skipped like any other.
            entry => (IReadOnlyList<BusinessUseCaseUsage>)(entry.Value ?? []).OfType<BusinessUseCaseUsageHeader>().Select(ToUsage).ToList()) ?? GraphUsage.None.BusinessUseCase);
    }

    /// <summary>One view of several responses' usage (the chunks of one logical call): the highest reported
    /// figure of each kind, since the allowance is shared and the worst is what the caller must respect.</summary>
    public static GraphUsage Combine(IEnumerable<GraphUsage> usages)
    {
        AppUsage? app = null;
        var businessUseCase = new Dictionary<string, Dictionary<string, BusinessUseCaseUsage>>();
        foreach (var usage in usages)
        {
            if (usage.App is { } next)
            {
                app = app is null ? next : new AppUsage(Math.Max(app.CallCount, next.CallCount),
                    Math.Max(app.TotalTime, next.TotalTime), Math.Max(app.TotalCpuTime, next.TotalCpuTime));
            }
            foreach (var (id, entries) in usage.BusinessUseCase)
            {
                var byType = businessUseCase.TryGetValue(id, out var known) ? known : businessUseCase[id] = [];
                foreach (var entry in entries)
                {
                    byType[entry.Type] = byType.TryGetValue(entry.Type, out var seen) ? Max(seen, entry) : entry;
                }
            }
        }
        if (app is null && businessUseCase.Count == 0)
        {
            return GraphUsage.None;
        }
        return new GraphUsage(app, businessUseCase.ToDictionary(
            entry => entry.Key, entry => (IReadOnlyList<BusinessUseCaseUsage>)entry.Value.Values.ToList()));
    }

    private static T? Parse<T>(HttpResponseHeaders headers, string name, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (!headers.TryGetValues(name, out var values) || values.FirstOrDefault() is not { Length: > 0 } value)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(value, typeInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static BusinessUseCaseUsage ToUsage(BusinessUseCaseUsageHeader header) => new(header.Type ?? "", header.CallCount,
        header.TotalTime, header.TotalCpuTime, TimeSpan.FromMinutes(header.EstimatedTimeToRegainAccess));

    private static BusinessUseCaseUsage Max(BusinessUseCaseUsage a, BusinessUseCaseUsage b) => new(a.Type,
        Math.Max(a.CallCount, b.CallCount), Math.Max(a.TotalTime, b.TotalTime), Math.Max(a.TotalCpuTime, b.TotalCpuTime),
        a.EstimatedTimeToRegainAccess > b.EstimatedTimeToRegainAccess ? a.EstimatedTimeToRegainAccess : b.EstimatedTimeToRegainAccess);
}
