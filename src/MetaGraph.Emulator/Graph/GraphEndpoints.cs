using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace MetaGraph.Emulator.Graph;

/// <summary>The HTTP face of the emulated Graph API: every path under <c>/{version}/</c>, plus batch <c>POST /</c>,
/// with latency, faults, app secret proofs, per-Page rate limits and the request log around <see cref="GraphApi"/>.</summary>
public static partial class GraphEndpoints
{
    private const int MaxBatchItems = 50;
    private const string JsonContentType = "application/json; charset=UTF-8";

    // Unicode stays readable and '+' in timestamps is not escaped; clients must accept either form anyway.
    private static readonly JsonSerializerOptions Output = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEndpointRouteBuilder MapGraphApi(this IEndpointRouteBuilder endpoints, EmulatorState state)
    {
        endpoints.Map("/{**path}", context => HandleAsync(context, state));
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context, EmulatorState state)
    {
        try
        {
            var (status, body, usage) = await AnswerAsync(context, state);
            if (usage is not null)
            {
                context.Response.Headers["X-App-Usage"] = $$"""{"call_count":{{usage.Value.Percent}},"total_time":{{usage.Value.Percent}},"total_cputime":{{usage.Value.Percent}}}""";
                context.Response.Headers["X-Business-Use-Case-Usage"] =
                    $$"""{"{{usage.Value.PageId}}":[{"type":"messenger","call_count":{{usage.Value.Percent}},"total_cputime":{{usage.Value.Percent}},"total_time":{{usage.Value.Percent}},"estimated_time_to_regain_access":{{usage.Value.RegainMinutes}}}]}""";
            }
            context.Response.StatusCode = status;
            context.Response.ContentType = JsonContentType;
            await context.Response.WriteAsync(body.ToJsonString(Output), context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away.
        }
        catch (Exception)
        {
            // Never a stack trace: an unexpected failure answers like Meta's own unknown error.
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = 500;
                context.Response.ContentType = JsonContentType;
                await context.Response.WriteAsync(new GraphError(500, 1, "An unknown error occurred", transient: true)
                    .ToJson(state.NextTraceId()).ToJsonString(Output));
            }
        }
    }

    private static async Task<(int Status, JsonNode Body, Usage? Usage)> AnswerAsync(HttpContext context, EmulatorState state)
    {
        var request = context.Request;
        var segments = request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var hasVersion = segments.Length > 0 && VersionPattern().IsMatch(segments[0]);
        var version = hasVersion ? segments[0] : "v25.0";
        var path = string.Join('/', segments.Skip(hasVersion ? 1 : 0));
        var isBatch = HttpMethods.IsPost(request.Method) && path.Length == 0;

        IReadOnlyDictionary<string, string> parameters;
        List<BatchItem>? batch = null;
        GraphError? inputError = null;
        if (isBatch)
        {
            (parameters, batch, inputError) = await ReadBatchAsync(request);
        }
        else
        {
            parameters = request.Query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        }
        state.Record(new RecordedRequest(request.Method, request.Path.Value ?? "/", RedactedQuery(request.QueryString.Value),
            batch?.Select(item => item.RelativeUrl).ToList()));

        if (state.LatencyMs > 0)
        {
            await Task.Delay(state.LatencyMs, context.RequestAborted);
        }
        if (state.NextFault() is { } fault)
        {
            return (fault.Status, fault.ToJson(state.NextTraceId()), null);
        }
        if (inputError is not null)
        {
            return (inputError.Status, inputError.ToJson(state.NextTraceId()), null);
        }
        if (!hasVersion && !isBatch)
        {
            return Error(state, GraphError.InvalidParameter("(#100) Unknown path: Graph API paths start with a version such as /v25.0/."));
        }
        if (!HttpMethods.IsGet(request.Method) && !isBatch)
        {
            return Error(state, GraphError.InvalidParameter("(#100) This emulator serves reads only: use GET, or POST / for a batch."));
        }

        var token = parameters.GetValueOrDefault("access_token") ?? BearerToken(request);
        var baseUrl = $"{request.Scheme}://{request.Host}";
        if (ProofError(state, token, parameters) is { } proofError)
        {
            return Error(state, proofError);
        }
        var page = state.Api.PageOf(token);
        Usage? usage = null;
        if (page is not null)
        {
            var calls = batch?.Count ?? GraphApi.CallsOf(new GraphRequest(version, path, parameters, token, baseUrl));
            var window = state.Consume(page.PageId, calls);
            if (window.Limited)
            {
                usage = new Usage(page.PageId, window.Percent, (int)Math.Ceiling(window.RegainIn.TotalMinutes));
            }
            if (!window.Allowed)
            {
                var limited = new GraphError(400, 80006, "There have been too many messages requests to this thread. Please wait and try again later.");
                return (limited.Status, limited.ToJson(state.NextTraceId()), usage);
            }
        }

        if (batch is not null)
        {
            return (200, Batch(state, batch, version, token, baseUrl, parameters.GetValueOrDefault("include_headers") != "false"), usage);
        }
        var (status, body) = Read(state, new GraphRequest(version, path, parameters, token, baseUrl));
        return (status, body, usage);
    }

    private static (int Status, JsonNode Body) Read(EmulatorState state, GraphRequest request)
    {
        try
        {
            return (200, state.Api.Get(request));
        }
        catch (GraphError error)
        {
            return (error.Status, error.ToJson(state.NextTraceId()));
        }
    }

    private static JsonArray Batch(EmulatorState state, List<BatchItem> items, string version, string? token, string baseUrl, bool includeHeaders)
    {
        var results = new JsonArray();
        foreach (var item in items)
        {
            var (status, body) = ReadBatchItem(state, item, version, token, baseUrl);
            var result = new JsonObject { ["code"] = status };
            if (includeHeaders)
            {
                result["headers"] = new JsonArray(new JsonObject { ["name"] = "Content-Type", ["value"] = "text/javascript; charset=UTF-8" });
            }
            result["body"] = body.ToJsonString(Output);
            results.Add(result);
        }
        return results;
    }

    private static (int Status, JsonNode Body) ReadBatchItem(EmulatorState state, BatchItem item, string version, string? token, string baseUrl)
    {
        if (!string.Equals(item.Method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            var error = GraphError.InvalidParameter("(#100) This emulator serves reads only: batch items must be GET.");
            return (error.Status, error.ToJson(state.NextTraceId()));
        }
        var url = item.RelativeUrl.TrimStart('/');
        var queryStart = url.IndexOf('?');
        var pathPart = queryStart < 0 ? url : url[..queryStart];
        var query = QueryHelpers.ParseQuery(queryStart < 0 ? "" : url[queryStart..]).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        var segments = pathPart.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length > 0 && VersionPattern().IsMatch(segments[0]))
        {
            version = segments[0];
            segments = segments[1..];
        }
        return Read(state, new GraphRequest(version, string.Join('/', segments), query, query.GetValueOrDefault("access_token") ?? token, baseUrl));
    }

    private static async Task<(IReadOnlyDictionary<string, string>, List<BatchItem>?, GraphError?)> ReadBatchAsync(HttpRequest request)
    {
        var parameters = request.Query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        if (!request.HasFormContentType)
        {
            return (parameters, null, GraphError.InvalidParameter("(#100) A batch request is a form with the parameter batch."));
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync();
        }
        catch (Exception error) when (error is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (parameters, null, GraphError.InvalidParameter("(#100) The request body is not a valid form."));
        }
        foreach (var (key, value) in form)
        {
            parameters[key] = value.ToString();
        }
        if (!parameters.TryGetValue("batch", out var text))
        {
            return (parameters, null, GraphError.InvalidParameter("(#100) The parameter batch is required"));
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return (parameters, null, GraphError.InvalidParameter("(#100) The parameter batch must be a JSON array"));
            }
            var items = new List<BatchItem>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object
                    || !element.TryGetProperty("relative_url", out var url) || url.ValueKind != JsonValueKind.String)
                {
                    return (parameters, null, GraphError.InvalidParameter("(#100) Each batch item needs a relative_url"));
                }
                var method = element.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "GET";
                items.Add(new BatchItem(method, url.GetString()!));
            }
            if (items.Count is 0 or > MaxBatchItems)
            {
                return (parameters, null, GraphError.InvalidParameter($"(#100) Too many requests in batch message. Maximum batch size is {MaxBatchItems}"));
            }
            return (parameters, items, null);
        }
        catch (JsonException)
        {
            return (parameters, null, GraphError.InvalidParameter("(#100) The parameter batch must be a JSON array"));
        }
    }

    private static GraphError? ProofError(EmulatorState state, string? token, IReadOnlyDictionary<string, string> parameters)
    {
        if (state.Options.AppSecret is not { } secret || token is null)
        {
            return null;
        }
        if (!parameters.TryGetValue("appsecret_proof", out var proof))
        {
            return new GraphError(400, 100, "API calls from the server require an appsecret_proof argument", "GraphMethodException");
        }
        var signed = parameters.TryGetValue("appsecret_time", out var time) ? $"{token}|{time}" : token;
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signed)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(proof.ToLowerInvariant()))
            ? null
            : new GraphError(400, 100, "Invalid appsecret_proof provided in the API argument", "GraphMethodException");
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    private static string RedactedQuery(string? query) => string.IsNullOrEmpty(query) ? "" : TokenPattern().Replace(query, "$1***");

    private static (int, JsonNode, Usage?) Error(EmulatorState state, GraphError error) => (error.Status, error.ToJson(state.NextTraceId()), null);

    [GeneratedRegex(@"^v\d+(\.\d+)?$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"((?:^|[?&])access_token=)[^&]*")]
    private static partial Regex TokenPattern();

    private sealed record BatchItem(string Method, string RelativeUrl);

    private readonly record struct Usage(string PageId, int Percent, int RegainMinutes);
}
