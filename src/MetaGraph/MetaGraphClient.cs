using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MetaGraph.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace MetaGraph;

/// <summary>The typed HttpClient behind <see cref="IMetaGraphClient"/> (reads, on a pipeline that retries transient failures)
/// and <see cref="IMetaSendClient"/> (writes, on one that never retries): one wire format, two pipelines. Its HttpClient's
/// base address is <see cref="MetaGraphOptions.VersionedBaseAddress"/>; every path here is relative to it.</summary>
public sealed partial class MetaGraphClient : IMetaGraphClient, IMetaSendClient, IMetaIdMatchingClient
{
    /// <summary>Graph refuses more than 50 ids per <c>?ids=</c> read and more than 50 items per batch.</summary>
    public const int MaxIdsPerCall = 50;
    public const int MaxBatchItemsPerCall = 50;

    /// <summary>Only the 20 most recent messages of a conversation have details (Meta's rule).</summary>
    public const int MessagesWithDetails = 20;

    /// <summary>How many calls Meta's rate accounting counts for an HTTP request: one per id of an <c>ids=</c> read and
    /// per batch item, else one. Set on every request this client sends, so a handler can price each attempt.</summary>
    public static readonly HttpRequestOptionsKey<int> MetaCallsOption = new("MetaGraph.MetaCalls");

    /// <summary>The API whose allowance those calls count against, set on every request beside <see cref="MetaCallsOption"/>.</summary>
    public static readonly HttpRequestOptionsKey<MetaApi> MetaApiOption = new("MetaGraph.MetaApi");

    private readonly HttpClient _http;
    private readonly MetaGraphOptions _options;
    private readonly ILogger<MetaGraphClient> _logger;
    private readonly TimeProvider _timeProvider;

    public MetaGraphClient(HttpClient http, IOptions<MetaGraphOptions> options, ILogger<MetaGraphClient> logger, TimeProvider timeProvider)
    {
        _http = http;
        _options = options.Value;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    public Task<GraphResponse<GraphList<Conversation>>> GetConversationsAsync(
        string accessToken, string pageId, ConversationsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pageId);
        RequireOneCursor(query.After, query.Before);
        return GetAsync(Credentials(accessToken), RelativeUrl.Conversations(pageId, query),
            MetaGraphJsonContext.Default.GraphListConversation, cancellationToken);
    }

    public Task<GraphResponse<GraphList<Message>>> GetMessagesAsync(
        string accessToken, string conversationId, PageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        RequireOneCursor(query.After, query.Before);
        return GetAsync(Credentials(accessToken), RelativeUrl.Edge(conversationId, "messages", query),
            MetaGraphJsonContext.Default.GraphListMessage, cancellationToken);
    }

    public Task<GraphResponse<T>> GetNodeAsync<T>(
        string accessToken, string id, FieldList? fields, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return SendAsync(HttpMethod.Get, RelativeUrl.Node(id, fields), null, MetaApis.OfRead<T>(), 1, Credentials(accessToken),
            MetaGraphJsonContext.TypeInfo<T>(), cancellationToken);
    }

    public Task<GraphResponse<GraphList<PageScopedId>>> GetIdsForPagesAsync(string appId, string appSecret, string appScopedUserId,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appId);
        ArgumentException.ThrowIfNullOrWhiteSpace(appSecret);
        return GetAsync(Credentials($"{appId}|{appSecret}"), RelativeUrl.IdsForPages(appScopedUserId),
            MetaGraphJsonContext.Default.GraphListPageScopedId, cancellationToken);
    }

    public async Task<GraphResponse<IReadOnlyDictionary<string, T>>> GetByIdsAsync<T>(
        string accessToken, IReadOnlyCollection<string> ids, FieldList? fields, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Any(id => string.IsNullOrWhiteSpace(id) || id.Contains(',')))
        {
            throw new ArgumentException("Ids must be non-empty and cannot contain commas.", nameof(ids));
        }
        var typeInfo = MetaGraphJsonContext.TypeInfo<Dictionary<string, T>>();
        var credentials = Credentials(accessToken);
        var chunks = await Task.WhenAll(ids.Distinct(StringComparer.Ordinal).Chunk(MaxIdsPerCall)
            .Select(chunk => SendAsync(HttpMethod.Get, RelativeUrl.Ids(chunk, fields), null, MetaApis.OfRead<T>(), chunk.Length, credentials, typeInfo, cancellationToken)));

        var merged = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var chunk in chunks)
        {
            foreach (var (id, node) in chunk.Value)
            {
                merged[id] = node;
            }
        }
        return new(merged, UsageHeaders.Combine(chunks.Select(c => c.Usage)));
    }

    public async Task<GraphResponse<IReadOnlyList<BatchItemResult>>> BatchAsync(
        string accessToken, IReadOnlyList<BatchRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var credentials = Credentials(accessToken);
        var chunks = await Task.WhenAll(requests.Chunk(MaxBatchItemsPerCall)
            .Select(chunk => PostBatchAsync(credentials, chunk, cancellationToken)));
        return new(chunks.SelectMany(c => c.Value).ToList(), UsageHeaders.Combine(chunks.Select(c => c.Usage)));
    }

    public async Task<GraphResponse<SendAnswer>> SendAsync(
        string accessToken, string pageId, SendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credentials = Credentials(accessToken);
        using var form = new FormUrlEncodedContent([.. credentials.Parameters(), .. request.FormFields()]);
        return await SendAsync(HttpMethod.Post, RelativeUrl.Messages(pageId), form, request.Api, 1, credentials,
            MetaGraphJsonContext.Default.SendAnswer, cancellationToken);
    }

    private async Task<GraphResponse<IReadOnlyList<BatchItemResult>>> PostBatchAsync(
        GraphCredentials credentials, BatchRequest[] chunk, CancellationToken cancellationToken)
    {
        var batch = JsonSerializer.Serialize(chunk, MetaGraphJsonContext.Default.IReadOnlyListBatchRequest);
        using var form = new FormUrlEncodedContent(
            [.. credentials.Parameters(), new("batch", batch), new("include_headers", "false")]);
        var api = chunk.Select(item => item.Api).Distinct().ToList() is [var only]
            ? only
            : throw new ArgumentException("A batch is priced against one Meta API: split items of different APIs into batches of their own.", nameof(chunk));
        var response = await SendAsync(HttpMethod.Post, "", form, api, chunk.Length, credentials,
            MetaGraphJsonContext.Default.ListBatchResponseItem, cancellationToken);
        // Items Graph did not finish come back as null; a short array is read the same way.
        var items = Enumerable.Range(0, chunk.Length)
            .Select(i => ToBatchItemResult(response.Value.ElementAtOrDefault(i), credentials, response.Usage))
            .ToList();
        return new(items, response.Usage);
    }

    private static BatchItemResult ToBatchItemResult(BatchResponseItem? item, GraphCredentials credentials, GraphUsage usage)
    {
        if (item is null)
        {
            return new(503, null, GraphErrors.UnfinishedBatchItem(usage));
        }
        JsonElement body;
        try
        {
            body = JsonSerializer.Deserialize(item.Body ?? "", MetaGraphJsonContext.Default.JsonElement);
        }
        catch (JsonException)
        {
            return new(item.Code, null, item.Code >= 400
                ? GraphErrors.WithoutErrorBody(item.Code, usage)
                : GraphErrors.Unreadable(item.Code, "JSON document", usage));
        }
        if (ErrorIn(body) is { } error)
        {
            return new(item.Code, null, GraphErrors.FromBody(item.Code, error, credentials, usage));
        }
        return item.Code >= 400
            ? new(item.Code, null, GraphErrors.WithoutErrorBody(item.Code, usage))
            : new(item.Code, body, null);
    }

    /// <summary>A batch item's Graph error, which can come with any status code.</summary>
    private static GraphErrorBody? ErrorIn(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("error", out _))
        {
            return null;
        }
        try
        {
            return body.Deserialize(MetaGraphJsonContext.Default.GraphErrorEnvelope)?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Task<GraphResponse<T>> GetAsync<T>(
        GraphCredentials credentials, string relativeUrl, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Get, relativeUrl, null, MetaApi.Conversations, 1, credentials, typeInfo, cancellationToken);

    /// <summary>One HTTP call: GETs carry the credentials in the query string, POSTs in their form.</summary>
    private async Task<GraphResponse<T>> SendAsync<T>(HttpMethod method, string relativeUrl, HttpContent? content, MetaApi api, int metaCalls,
        GraphCredentials credentials, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var path = "/" + relativeUrl.Split('?')[0];
        var started = _timeProvider.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(method, content is null ? credentials.AppendTo(relativeUrl) : relativeUrl)
            {
                Content = content,
                Version = _http.DefaultRequestVersion,
                VersionPolicy = _http.DefaultVersionPolicy,
            };
            request.Options.Set(MetaCallsOption, metaCalls);
            request.Options.Set(MetaApiOption, api);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            var usage = UsageHeaders.Read(response.Headers);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw await ReadErrorAsync(body, status, credentials, usage, cancellationToken);
            }
            T? value;
            try
            {
                value = await DeserializeBufferedAsync(body, response.Content.Headers.ContentLength, typeInfo, cancellationToken);
            }
            catch (JsonException)
            {
                value = default;
            }
            if (value is null)
            {
                throw GraphErrors.Unreadable(status, typeof(T).Name, usage);
            }
            Log.Answered(_logger, method.Method, path, status, Elapsed(started));
            return new(value, usage);
        }
        catch (GraphApiException error)
        {
            Log.Failed(_logger, method.Method, path, error.HttpStatus, error.Code, error.Subcode, error.FbTraceId, Elapsed(started));
            throw;
        }
        catch (Exception failure) when (IsTransportFailure(failure, cancellationToken))
        {
            var error = GraphErrors.Transport(failure);
            Log.Failed(_logger, method.Method, path, error.HttpStatus, error.Code, error.Subcode, error.FbTraceId, Elapsed(started));
            throw error;
        }
    }

    /// <summary>Reads the body into a pooled buffer, then deserializes it in one pass: System.Text.Json reads a buffer
    /// about a sixth faster than it resumes across a stream's chunks, and Graph bodies are tens of kilobytes.</summary>
    private static async Task<T?> DeserializeBufferedAsync<T>(
        Stream body, long? contentLength, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(contentLength ?? 0, 16 * 1024, 1024 * 1024));
        var length = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
            return JsonSerializer.Deserialize(buffer.AsSpan(0, length), typeInfo);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<GraphApiException> ReadErrorAsync(
        Stream body, int status, GraphCredentials credentials, GraphUsage usage, CancellationToken cancellationToken)
    {
        try
        {
            var envelope = await JsonSerializer.DeserializeAsync(body, MetaGraphJsonContext.Default.GraphErrorEnvelope, cancellationToken);
            if (envelope?.Error is { } error)
            {
                return GraphErrors.FromBody(status, error, credentials, usage);
            }
        }
        catch (JsonException)
        {
            // Not Graph's JSON (a proxy's page, an empty body): described by its status alone.
        }
        return GraphErrors.WithoutErrorBody(status, usage);
    }

    /// <summary>Failures of the connection rather than answers from Graph. A cancellation the caller asked for is not one.</summary>
    private static bool IsTransportFailure(Exception failure, CancellationToken cancellationToken) => failure switch
    {
        HttpRequestException or IOException or TimeoutRejectedException or BrokenCircuitException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private GraphCredentials Credentials(string accessToken) => GraphCredentials.Create(accessToken, _options, _timeProvider);

    private double Elapsed(long started) => _timeProvider.GetElapsedTime(started).TotalMilliseconds;

    private static void RequireOneCursor(string? after, string? before)
    {
        if (after is not null && before is not null)
        {
            throw new ArgumentException("Page with either an after or a before cursor, not both.");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Graph API {Method} {Path} answered {Status} in {ElapsedMs:0.0} ms")]
        public static partial void Answered(ILogger logger, string method, string path, int status, double elapsedMs);

        [LoggerMessage(Level = LogLevel.Debug,
            Message = "Graph API {Method} {Path} failed with {Status}, code {Code}, subcode {Subcode}, fbtrace_id {FbTraceId} in {ElapsedMs:0.0} ms")]
        public static partial void Failed(ILogger logger, string method, string path, int status, int code, int? subcode,
            string? fbTraceId, double elapsedMs);
    }
}
