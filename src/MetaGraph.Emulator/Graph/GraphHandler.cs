using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Errors;
using MetaGraph.Emulator.Runtime;
using Microsoft.AspNetCore.WebUtilities;

namespace MetaGraph.Emulator.Graph;

/// <summary>The HTTP face of the emulated Graph API: every path under <c>/{version}/</c> and batch <c>POST /</c>, with the
/// request log, latency, faults, tokens and proofs, and per-Page rate limits around <see cref="GraphReader"/>.</summary>
internal sealed partial class GraphHandler(EmulatorState state)
{
    /// <summary>The version paging links use for an unversioned batch.</summary>
    private const string DefaultVersion = "v25.0";

    private static readonly KeyValuePair<string, string>[] BatchItemHeaders = [new("Content-Type", "text/javascript; charset=UTF-8")];

    public async Task HandleAsync(HttpContext context)
    {
        var buffer = JsonBuffers.Rent();
        try
        {
            var (status, usage) = await AnswerAsync(context, buffer);
            await SendAsync(context, status, usage, buffer);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away: counted, so a test can see a client abandon a call rather than wait to infer it.
            state.Log.AddAbandoned();
        }
        catch (Exception) when (!context.Response.HasStarted)
        {
            // Never a stack trace: an unexpected failure answers like Meta's own unknown error.
            buffer.ResetWrittenCount();
            var error = GraphErrors.Unknown();
            WriteError(buffer, error);
            await SendAsync(context, error.Status, null, buffer);
        }
        finally
        {
            JsonBuffers.Return(buffer);
        }
    }

    private async Task<(int Status, RateDecision? Usage)> AnswerAsync(HttpContext context, ArrayBufferWriter<byte> buffer)
    {
        var request = context.Request;
        var routePath = context.GetRouteValue("path") as string ?? "";
        if (routePath.StartsWith("_emulator", StringComparison.Ordinal))
        {
            WriteError(buffer, new GraphError(404, 2500, $"Unknown path components: /{routePath}; the emulator serves /_emulator/seed, /_emulator/requests, /_emulator/config, /_emulator/webhooks and POST /_emulator/messages, /_emulator/reads, /_emulator/reactions, /_emulator/unsends"));
            return (404, null);
        }
        var (version, path) = SplitVersion(routePath.Trim('/'));
        var isBatch = HttpMethods.IsPost(request.Method) && path.Length == 0;
        IQueryCollection parameters = request.Query;
        List<BatchItem>? batch = null;
        GraphError? inputError = null;
        if (isBatch)
        {
            (parameters, batch, inputError) = await ReadBatchAsync(request);
        }
        state.Log.Add(request.Method, request.Path.Value ?? "/", request.QueryString.Value, batch?.Select(item => item.RelativeUrl).ToList());

        var runtime = state.Runtime;
        var latency = (runtime.LatencyMs ?? 0) + state.Faults.NextJitter(runtime.LatencyJitterMs ?? 0);
        if (latency > 0)
        {
            await Task.Delay(latency, context.RequestAborted);
        }
        // One snapshot for the whole request, batch items included: the living inbox may change meanwhile.
        var data = state.Data;
        RateDecision? usage = null;
        try
        {
            if (state.Faults.Next(runtime.FaultRate ?? 0) is { } fault)
            {
                throw fault;
            }
            if (inputError is not null)
            {
                throw inputError;
            }
            if (version is null && !isBatch)
            {
                throw new GraphError(400, 2500, "Unknown path components: Graph API paths start with a version, such as /v25.0/");
            }
            if (!HttpMethods.IsGet(request.Method) && !isBatch)
            {
                throw new GraphError(400, 100, $"Unsupported {request.Method.ToLowerInvariant()} request. This emulator serves reads: use GET, or POST / for a batch.",
                    "GraphMethodException", subcode: 33);
            }
            var root = Root(request, routePath);
            var token = Authentication.TokenOf(parameters["access_token"], request);
            if (batch is not null)
            {
                WriteBatch(buffer, data, batch, parameters, token, root, version ?? DefaultVersion, ref usage);
                return (200, usage);
            }
            var page = state.Authentication.Authenticate(data, token, parameters["appsecret_proof"], parameters["appsecret_time"]);
            Consume(page.PageId, GraphReader.CallsOf(path, parameters["ids"]), ref usage);
            Read(buffer, data, new GraphRequest($"{root}{version}/", path, parameters, token!, page, state.Options));
            return (200, usage);
        }
        catch (GraphError error)
        {
            buffer.ResetWrittenCount();
            WriteError(buffer, error);
            return (error.Status, usage);
        }
    }

    private static void Read(ArrayBufferWriter<byte> buffer, InboxData data, GraphRequest request)
    {
        using var writer = new Utf8JsonWriter(buffer, GraphJson.WriterOptions);
        new GraphReader(data).Read(writer, request);
    }

    /// <summary>Each item is read on its own: a failing item carries its error while the others succeed.</summary>
    private void WriteBatch(ArrayBufferWriter<byte> buffer, InboxData data, List<BatchItem> items, IQueryCollection parameters, string? token,
        string root, string version, ref RateDecision? usage)
    {
        if (token is not null)
        {
            state.Authentication.Authenticate(data, token, parameters["appsecret_proof"], parameters["appsecret_time"]);
        }
        var includeHeaders = !string.Equals(parameters["include_headers"], "false", StringComparison.OrdinalIgnoreCase);
        using var writer = new Utf8JsonWriter(buffer, GraphJson.WriterOptions);
        var itemBuffer = JsonBuffers.Rent();
        try
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                itemBuffer.ResetWrittenCount();
                var status = ReadBatchItem(itemBuffer, data, item, parameters, token, root, version, ref usage);
                writer.WriteStartObject();
                writer.WriteNumber("code", status);
                if (includeHeaders)
                {
                    writer.WriteStartArray("headers");
                    foreach (var (name, value) in BatchItemHeaders)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("name", name);
                        writer.WriteString("value", value);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                }
                writer.WriteString("body", itemBuffer.WrittenSpan);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        finally
        {
            JsonBuffers.Return(itemBuffer);
        }
    }

    private int ReadBatchItem(ArrayBufferWriter<byte> buffer, InboxData data, BatchItem item, IQueryCollection parameters, string? batchToken,
        string root, string batchVersion, ref RateDecision? usage)
    {
        try
        {
            if (!string.Equals(item.Method, "GET", StringComparison.OrdinalIgnoreCase))
            {
                throw new GraphError(400, 100, $"Unsupported {item.Method.ToLowerInvariant()} request. This emulator serves reads: batch items must be GET.",
                    "GraphMethodException", subcode: 33);
            }
            var url = item.RelativeUrl.TrimStart('/');
            var queryStart = url.IndexOf('?');
            var query = new QueryCollection(QueryHelpers.ParseQuery(queryStart < 0 ? "" : url[queryStart..]));
            var (version, path) = SplitVersion(Uri.UnescapeDataString(queryStart < 0 ? url : url[..queryStart]).Trim('/'));
            // An item may carry its own token, and then its own proof.
            var ownToken = query["access_token"].ToString();
            var token = ownToken.Length > 0 ? ownToken : batchToken;
            var proofs = ownToken.Length > 0 ? query : parameters;
            var page = state.Authentication.Authenticate(data, token, proofs["appsecret_proof"], proofs["appsecret_time"]);
            Consume(page.PageId, GraphReader.CallsOf(path, query["ids"]), ref usage);
            Read(buffer, data, new GraphRequest($"{root}{version ?? batchVersion}/", path, query, token!, page, state.Options));
            return 200;
        }
        catch (GraphError error)
        {
            buffer.ResetWrittenCount();
            WriteError(buffer, error);
            return error.Status;
        }
    }

    /// <summary>Counts the calls against the Page's window when a rate limit is configured; past the limit the usage is
    /// noted before the call fails, so the error carries the usage headers too.</summary>
    private void Consume(string pageId, int calls, ref RateDecision? usage)
    {
        if (state.Runtime.RateLimitPerSecond is not { } limit)
        {
            return;
        }
        usage = state.RateLimiter.Consume(pageId, calls, limit);
        if (!usage.Value.Allowed)
        {
            throw GraphErrors.ThreadRateLimited();
        }
    }

    private static async Task<(IQueryCollection, List<BatchItem>?, GraphError?)> ReadBatchAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return (request.Query, null, GraphErrors.InvalidParameter("(#100) A batch is a form post with the parameter batch"));
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (Exception error) when (error is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (request.Query, null, GraphErrors.InvalidParameter("(#100) The request body is not a valid form"));
        }
        var parameters = request.Query.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (name, value) in form)
        {
            parameters[name] = value;
        }
        var merged = new QueryCollection(parameters);
        try
        {
            return (merged, BatchItems.Parse(merged["batch"]), null);
        }
        catch (GraphError error)
        {
            return (merged, null, error);
        }
    }

    private async Task SendAsync(HttpContext context, int status, RateDecision? usage, ArrayBufferWriter<byte> buffer)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = GraphJson.ContentType;
        response.ContentLength = buffer.WrittenCount;
        if (usage is { } decision)
        {
            response.Headers["X-App-Usage"] = $$"""{"call_count":{{decision.Percent}},"total_time":{{decision.Percent}},"total_cputime":{{decision.Percent}}}""";
            response.Headers["X-Business-Use-Case-Usage"] = $$"""{"{{decision.PageId}}":[{"type":"messenger","call_count":{{decision.Percent}},"total_cputime":{{decision.Percent}},"total_time":{{decision.Percent}},"estimated_time_to_regain_access":{{decision.RegainMinutes}}}]}""";
        }
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private void WriteError(ArrayBufferWriter<byte> buffer, GraphError error)
    {
        using var writer = new Utf8JsonWriter(buffer, GraphJson.WriterOptions);
        error.WriteTo(writer, state.TraceIds.Next());
    }

    /// <summary>Splits <c>v25.0/t_1/messages</c> into the version and the rest; the version is null when the path has none.</summary>
    private static (string? Version, string Path) SplitVersion(string path)
    {
        var slash = path.IndexOf('/');
        var first = slash < 0 ? path : path[..slash];
        return VersionPattern().IsMatch(first) ? (first, slash < 0 ? "" : path[(slash + 1)..].Trim('/')) : (null, path);
    }

    /// <summary>The absolute root the versions live under, with any prefix the emulator is mapped at: <c>http://host/</c>.</summary>
    private static string Root(HttpRequest request, string routePath)
    {
        var fullPath = request.PathBase.Value + request.Path.Value;
        var prefix = fullPath.EndsWith(routePath, StringComparison.Ordinal) ? fullPath[..^routePath.Length] : "/";
        return $"{request.Scheme}://{request.Host}{prefix.TrimEnd('/')}/";
    }

    [GeneratedRegex(@"^v\d+\.\d+$")]
    private static partial Regex VersionPattern();
}
