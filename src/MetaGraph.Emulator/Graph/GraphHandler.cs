using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Errors;
using MetaGraph.Emulator.Runtime;
using MetaGraph.Emulator.Send;
using Microsoft.AspNetCore.WebUtilities;

namespace MetaGraph.Emulator.Graph;

/// <summary>The HTTP face of the emulated Graph API: every path under <c>/{version}/</c>, batch <c>POST /</c> and the Send API's
/// <c>POST /{page}/messages</c>, with the request log, latency, faults, tokens and proofs, Meta's per-API allowances and
/// Meta's headers around <see cref="GraphReader"/> and <see cref="SendApi"/>.</summary>
internal sealed partial class GraphHandler(EmulatorState state)
{
    /// <summary>The version paging links and headers use for an unversioned batch.</summary>
    private const string DefaultVersion = "v25.0";

    private readonly SendApi _send = new(state);

    public async Task HandleAsync(HttpContext context)
    {
        var buffer = JsonBuffers.Rent();
        try
        {
            var outcome = await AnswerAsync(context, buffer);
            if (outcome.LostAnswer is { } loss)
            {
                await LoseAnswerAsync(context, loss);
                return;
            }
            await SendAsync(context, outcome, buffer);
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
            await SendAsync(context, Fail(buffer, GraphErrors.Unknown(), DefaultVersion, new UsageReport()), buffer);
        }
        finally
        {
            JsonBuffers.Return(buffer);
        }
    }

    private async Task<Outcome> AnswerAsync(HttpContext context, ArrayBufferWriter<byte> buffer)
    {
        var request = context.Request;
        var routePath = context.GetRouteValue("path") as string ?? "";
        var usage = new UsageReport();
        if (routePath.StartsWith("_emulator", StringComparison.Ordinal))
        {
            return Fail(buffer, new GraphError(404, 2500, $"Unknown path components: /{routePath}; the emulator serves /_emulator/seed, /_emulator/requests, /_emulator/config, /_emulator/clock, /_emulator/webhooks, /_emulator/sends and POST /_emulator/messages, /_emulator/reads, /_emulator/reactions, /_emulator/unsends, /_emulator/postbacks, /_emulator/availability"),
                DefaultVersion, usage);
        }
        var (version, path) = SplitVersion(routePath.Trim('/'));
        var isPost = HttpMethods.IsPost(request.Method);
        var isBatch = isPost && path.Length == 0;
        var isSend = isPost && SendApi.IsSendPath(path);
        IQueryCollection parameters = request.Query;
        List<BatchItem>? batch = null;
        GraphError? inputError = null;
        try
        {
            if (isBatch && !request.HasFormContentType)
            {
                throw GraphErrors.InvalidParameter("(#100) A batch is a form post with the parameter batch");
            }
            if (isBatch || isSend)
            {
                parameters = await RequestParameters.ReadAsync(request);
            }
            batch = isBatch ? BatchItems.Parse(parameters["batch"]) : null;
        }
        catch (GraphError error)
        {
            inputError = error;
        }
        state.Log.Add(request.Method, request.Path.Value ?? "/", request.QueryString.Value, batch?.Select(item => item.RelativeUrl).ToList(), state.Clock.Now);

        var runtime = state.Runtime;
        var latency = (runtime.LatencyMs ?? 0) + state.Faults.NextJitter(runtime.LatencyJitterMs ?? 0);
        if (latency > 0)
        {
            await Task.Delay(latency, context.RequestAborted);
        }
        // One snapshot for the whole request, batch items included: the living inbox may change meanwhile.
        var data = state.Data;
        var answerVersion = version ?? DefaultVersion;
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
            if (!HttpMethods.IsGet(request.Method) && !isBatch && !isSend)
            {
                throw new GraphError(400, 100, $"Unsupported {request.Method.ToLowerInvariant()} request. This emulator serves reads, and the Send API at POST /{{page-id}}/messages: use GET, or POST / for a batch.",
                    "GraphMethodException", subcode: 33);
            }
            var root = Root(request, routePath);
            var token = Authentication.TokenOf(parameters["access_token"], request);
            if (batch is not null)
            {
                WriteBatch(buffer, data, batch, parameters, token, root, answerVersion, usage);
                return new Outcome(200, answerVersion, usage);
            }
            if (HttpMethods.IsGet(request.Method) && IdMatching.IsIdsForPages(path))
            {
                // The app's own call, with the app's token: no Page's allowance.
                using var writer = new Utf8JsonWriter(buffer, GraphJson.WriterOptions);
                IdMatching.Write(writer, data, path, token, state.Options.AppId, runtime.AppSecret);
                return new Outcome(200, answerVersion, usage);
            }
            var page = state.Authentication.Authenticate(data, token, parameters["appsecret_proof"], parameters["appsecret_time"]);
            if (isSend)
            {
                using var writer = new Utf8JsonWriter(buffer, GraphJson.WriterOptions);
                return new Outcome(200, answerVersion, usage, LostAnswer: _send.Send(writer, data, page, path, parameters, usage));
            }
            var reader = new GraphReader(data);
            state.Allowances.ChargeRead(page, reader.CostOf(page, path, parameters["ids"]), usage);
            Read(buffer, reader, new GraphRequest($"{root}{version}/", path, parameters, token!, page, state.Options));
            return new Outcome(200, answerVersion, usage);
        }
        catch (GraphError error)
        {
            buffer.ResetWrittenCount();
            return Fail(buffer, error, answerVersion, usage);
        }
    }

    private static void Read(ArrayBufferWriter<byte> buffer, GraphReader reader, GraphRequest request)
    {
        using var writer = new Utf8JsonWriter(buffer, GraphJson.WriterOptions);
        reader.Read(writer, request);
    }

    /// <summary>Each item is read on its own: a failing item carries its error while the others succeed.</summary>
    private void WriteBatch(ArrayBufferWriter<byte> buffer, InboxData data, List<BatchItem> items, IQueryCollection parameters, string? token,
        string root, string version, UsageReport usage)
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
                var (itemVersion, error) = ReadBatchItem(itemBuffer, data, item, parameters, token, root, version, usage);
                writer.WriteStartObject();
                writer.WriteNumber("code", error?.Status ?? 200);
                if (includeHeaders)
                {
                    writer.WriteStartArray("headers");
                    foreach (var (name, value) in MetaHeaders.OfBatchItem(itemVersion, error))
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

    /// <summary>Reads one item into <paramref name="buffer"/>: its version, and its error when it failed.</summary>
    private (string Version, GraphError? Error) ReadBatchItem(ArrayBufferWriter<byte> buffer, InboxData data, BatchItem item,
        IQueryCollection parameters, string? batchToken, string root, string batchVersion, UsageReport usage)
    {
        var url = item.RelativeUrl.TrimStart('/');
        var queryStart = url.IndexOf('?');
        var (version, path) = SplitVersion(Uri.UnescapeDataString(queryStart < 0 ? url : url[..queryStart]).Trim('/'));
        var itemVersion = version ?? batchVersion;
        try
        {
            if (!string.Equals(item.Method, "GET", StringComparison.OrdinalIgnoreCase))
            {
                throw new GraphError(400, 100, $"Unsupported {item.Method.ToLowerInvariant()} request. This emulator serves reads: batch items must be GET.",
                    "GraphMethodException", subcode: 33);
            }
            var query = new QueryCollection(QueryHelpers.ParseQuery(queryStart < 0 ? "" : url[queryStart..]));
            // An item may carry its own token, and then its own proof.
            var ownToken = query["access_token"].ToString();
            var token = ownToken.Length > 0 ? ownToken : batchToken;
            var proofs = ownToken.Length > 0 ? query : parameters;
            var page = state.Authentication.Authenticate(data, token, proofs["appsecret_proof"], proofs["appsecret_time"]);
            var reader = new GraphReader(data);
            state.Allowances.ChargeRead(page, reader.CostOf(page, path, query["ids"]), usage);
            Read(buffer, reader, new GraphRequest($"{root}{itemVersion}/", path, query, token!, page, state.Options));
            return (itemVersion, null);
        }
        catch (GraphError error)
        {
            buffer.ResetWrittenCount();
            WriteError(buffer, error);
            return (itemVersion, error);
        }
    }

    private async Task SendAsync(HttpContext context, Outcome outcome, ArrayBufferWriter<byte> buffer)
    {
        var response = context.Response;
        response.StatusCode = outcome.Status;
        response.ContentType = GraphJson.ContentType;
        response.ContentLength = buffer.WrittenCount;
        MetaHeaders.WriteTo(response.Headers, outcome.Version, outcome.Error, outcome.TraceId ?? state.RequestIds.Next(), state.RequestIds.Next(),
            state.Revision);
        outcome.Usage.WriteTo(response.Headers);
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    /// <summary>The send was processed, and its answer is lost: the connection is reset at once, or held until the client gives
    /// up (a hang the emulator's shutdown ends, resetting it).</summary>
    private static async Task LoseAnswerAsync(HttpContext context, AnswerLossMode loss)
    {
        if (loss == AnswerLossMode.Hang)
        {
            var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var gone = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            try
            {
                await Task.Delay(Timeout.Infinite, gone.Token);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                // Shutting down: the held request ends like a reset one.
            }
        }
        context.Abort();
    }

    private Outcome Fail(ArrayBufferWriter<byte> buffer, GraphError error, string version, UsageReport usage)
        => new(error.Status, version, usage, error, WriteError(buffer, error));

    /// <summary>Writes the error body and answers its <c>fbtrace_id</c>.</summary>
    private string WriteError(ArrayBufferWriter<byte> buffer, GraphError error)
    {
        var traceId = state.TraceIds.Next();
        using var writer = new Utf8JsonWriter(buffer, GraphJson.WriterOptions);
        error.WriteTo(writer, traceId);
        return traceId;
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

    /// <summary>How a request was answered: its status and version, the usage to report, and the error with its <c>fbtrace_id</c>;
    /// or a send whose answer is lost.</summary>
    private sealed record Outcome(int Status, string Version, UsageReport Usage, GraphError? Error = null, string? TraceId = null,
        AnswerLossMode? LostAnswer = null);
}
