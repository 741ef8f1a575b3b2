using System.Text.Json.Serialization;

namespace MetaGraph.Json;

// Shapes that exist only on the wire; the client turns them into the public model.

/// <summary><c>{"error":{...}}</c>, the body of every failed Graph call.</summary>
internal sealed record GraphErrorEnvelope
{
    [JsonPropertyName("error")] public GraphErrorBody? Error { get; init; }
}

internal sealed record GraphErrorBody
{
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("code")] public int? Code { get; init; }
    [JsonPropertyName("error_subcode")] public int? Subcode { get; init; }
    [JsonPropertyName("error_user_title")] public string? UserTitle { get; init; }
    [JsonPropertyName("error_user_msg")] public string? UserMessage { get; init; }
    [JsonPropertyName("fbtrace_id")] public string? FbTraceId { get; init; }
    [JsonPropertyName("is_transient")] public bool? IsTransient { get; init; }
}

/// <summary>One item of a batch response: <c>{"code":200,"headers":[...],"body":"&lt;JSON as a string&gt;"}</c>.</summary>
internal sealed record BatchResponseItem
{
    [JsonPropertyName("code")] public int Code { get; init; }
    [JsonPropertyName("body")] public string? Body { get; init; }
}

/// <summary><c>X-App-Usage: {"call_count":28,"total_time":25,"total_cputime":25}</c>.</summary>
internal sealed record AppUsageHeader
{
    [JsonPropertyName("call_count")] public int CallCount { get; init; }
    [JsonPropertyName("total_time")] public int TotalTime { get; init; }
    [JsonPropertyName("total_cputime")] public int TotalCpuTime { get; init; }
}

/// <summary>One entry of <c>X-Business-Use-Case-Usage</c>, which maps a Page or IG account id to a list of these.</summary>
internal sealed record BusinessUseCaseUsageHeader
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("call_count")] public int CallCount { get; init; }
    [JsonPropertyName("total_time")] public int TotalTime { get; init; }
    [JsonPropertyName("total_cputime")] public int TotalCpuTime { get; init; }
    [JsonPropertyName("estimated_time_to_regain_access")] public int EstimatedTimeToRegainAccess { get; init; }
}
