using System.Text;
using System.Text.Json;
using Gateway.Caching;
using Gateway.Callers;
using Gateway.Configuration;
using Gateway.Execution;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Gateway.Http;

/// <summary>
/// GraphQL over HTTP (the GraphQL-over-HTTP spec, as the <c>graphql-http</c> audit checks it): POST and GET, content
/// negotiation between <c>application/graphql-response+json</c> and <c>application/json</c>, the spec's status codes,
/// and, on the same path, the IDE for browsers and the SDL for <c>?sdl</c>.
/// </summary>
public static class GraphQLHttpEndpoint
{
    private const string GraphQLResponseJson = "application/graphql-response+json";
    private const string Json = "application/json";
    private const string EventStreamType = "text/event-stream";

    public static IHostApplicationBuilder AddGraphQLHttp(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<GraphQLHttpOptions>(GraphQLHttpOptions.Section);
        services.AddValidatedOptions<PersistedOperationsOptions>(PersistedOperationsOptions.Section)
            .Validate(options => string.IsNullOrEmpty(options.Directory) || Directory.Exists(options.Directory),
                $"{PersistedOperationsOptions.Section}:Directory names a folder that does not exist.");
        services.AddSingleton<BananaCakePop>();
        return builder;
    }

    public static IEndpointRouteBuilder MapGraphQLHttp(this IEndpointRouteBuilder endpoints)
    {
        var path = endpoints.ServiceProvider.GetRequiredService<IOptions<GraphQLHttpOptions>>().Value.Path;
        endpoints.MapPost(path, PostAsync);
        endpoints.MapGet(path, GetAsync);
        endpoints.MapMethods(path, [HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete], (HttpContext context) =>
        {
            context.Response.Headers.Allow = "GET, POST";
            return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
        });
        endpoints.MapGet(path + "/{**asset}", (string asset, HttpContext context, BananaCakePop ide) => ide.ServeAssetAsync(context, asset));
        return endpoints;
    }

    private static async Task PostAsync(HttpContext context, IOptions<GraphQLHttpOptions> options)
    {
        var accepted = AcceptedAnswers.Of(context.Request);
        if (accepted.None)
        {
            await WriteNotAcceptableAsync(context);
            return;
        }
        var mediaType = accepted.ErrorMediaType;
        if (!IsJsonContent(context.Request.ContentType))
        {
            await WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, mediaType, "Send the request as application/json (UTF-8).");
            return;
        }
        if (context.Request.ContentLength > options.Value.MaxRequestBodyBytes)
        {
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, mediaType, $"The request body is larger than {options.Value.MaxRequestBodyBytes} bytes.");
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxRequestBodyBytes;
        }
        JsonDocument document;
        using var body = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length));
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, mediaType, $"The request body is larger than {options.Value.MaxRequestBodyBytes} bytes.");
            return;
        }
        catch (JsonException)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, mediaType, "The request body is not valid JSON.");
            return;
        }
        catch (Exception error) when (ClientDisconnects.HungUp(context, error))
        {
            // The body ended early (most often the client went away mid-body): an answer if anyone still listens.
            ClientDisconnects.Note(context, error);
            if (!context.RequestAborted.IsCancellationRequested)
            {
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, mediaType, "The request body could not be read to its end.");
            }
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, mediaType, "The request body must be a JSON object with a `query`.");
                return;
            }
            var serializer = context.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
            if (!TryReadPost(root, serializer, out var request, out var problem))
            {
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, mediaType, problem, CodeOf(problem));
                return;
            }
            await AnswerAsync(context, request, accepted, ResponseKeyOf(context, body.GetBuffer().AsSpan(0, (int)body.Length)));
        }
    }

    private static async Task GetAsync(HttpContext context, BananaCakePop ide)
    {
        var query = context.Request.Query;
        if (query.ContainsKey("sdl"))
        {
            if (!context.RequestServices.GetRequiredService<IOptions<IntrospectionOptions>>().Value.Enabled)
            {
                await WriteErrorAsync(context, StatusCodes.Status403Forbidden, Json, "Introspection is not allowed on this endpoint.", "INTROSPECTION_NOT_ALLOWED");
                return;
            }
            context.Response.ContentType = "application/graphql; charset=utf-8";
            await context.Response.WriteAsync(SchemaSdl.Print(context.RequestServices.GetRequiredService<ISchema>()), context.RequestAborted);
            return;
        }
        if (!RunsOperation(context.Request) && AcceptsHtml(context.Request))
        {
            await ide.ServeIndexAsync(context);
            return;
        }
        var accepted = AcceptedAnswers.Of(context.Request);
        if (accepted.None)
        {
            await WriteNotAcceptableAsync(context);
            return;
        }
        var mediaType = accepted.ErrorMediaType;
        if (!TryReadGet(query, context.RequestServices.GetRequiredService<IGraphQLTextSerializer>(), out var request, out var problem))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, mediaType, problem, CodeOf(problem));
            return;
        }
        if (context.RequestServices.GetRequiredService<OperationTypes>().Of(request) == OperationType.Mutation)
        {
            context.Response.Headers.Allow = "POST";
            await WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, mediaType, "Mutations are only accepted over POST.");
            return;
        }
        await AnswerAsync(context, request, accepted, ResponseKeyOf(context, Encoding.UTF8.GetBytes(context.Request.QueryString.Value ?? "")));
    }

    /// <summary>The request as sent and the credentials it came with, which is what a kept result answers; null when no
    /// result is kept.</summary>
    private static ResponseKey? ResponseKeyOf(HttpContext context, ReadOnlySpan<byte> request)
        => context.RequestServices.GetRequiredService<ResponseCache>().Enabled
            ? ResponseKey.Of(context.Request.Method, context.Request.Headers.Authorization, context.Request.Headers[CallerAuthentication.ApiKeyHeader], request)
            : null;

    /// <summary>Whether a request on the GraphQL path runs an operation (rather than asking for the IDE, its assets or the
    /// SDL): every POST, and a GET with a query, a persisted operation's id or an automatic persisted query's hash. Caller
    /// authentication guards exactly these.</summary>
    public static bool RunsOperation(HttpRequest request)
        => HttpMethods.IsPost(request.Method)
           || (HttpMethods.IsGet(request.Method) && !request.HttpContext.WebSockets.IsWebSocketRequest
               && OperationParameters.Any(request.Query.ContainsKey));

    private static readonly string[] OperationParameters = ["query", "extensions", "id", "documentId"];

    /// <summary>An event stream for a subscription the client can read as one, or when the client accepts nothing else;
    /// JSON for everything else whenever the client accepts JSON (urql lists <c>text/event-stream</c> among the types it
    /// accepts for every query).</summary>
    private static Task AnswerAsync(HttpContext context, GraphQLRequest request, AcceptedAnswers accepted, ResponseKey? key)
    {
        if (accepted.EventStream && (accepted.Json is null
            || context.RequestServices.GetRequiredService<OperationTypes>().Of(request) == OperationType.Subscription))
        {
            return GraphQLServerSentEvents.StreamAsync(context, request);
        }
        return ExecuteAsync(context, request, accepted.Json!, key);
    }

    private static async Task ExecuteAsync(HttpContext context, GraphQLRequest request, string mediaType, ResponseKey? key)
    {
        var results = context.RequestServices.GetRequiredService<ResponseCache>();
        if (key is { } lookup && results.Find(lookup) is { } kept)
        {
            // Only complete, executed query results are kept: always a 200.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = mediaType + "; charset=utf-8";
            await context.Response.Body.WriteAsync(kept, context.RequestAborted);
            return;
        }
        var executer = context.RequestServices.GetRequiredService<IDocumentExecuter<ISchema>>();
        var serializer = context.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = request.Query,
            DocumentId = request.DocumentId,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            RequestServices = context.RequestServices,
            User = context.User,
            CancellationToken = context.RequestAborted,
        });
        if (result.Streams is not null)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, mediaType,
                "Subscriptions are served on this path over WebSocket (graphql-transport-ws) or Server-Sent Events (Accept: text/event-stream).");
            return;
        }
        // The spec: a request that never executed (parse, validation or variable errors) is a 400 under
        // application/graphql-response+json; application/json keeps 200 for legacy clients.
        context.Response.StatusCode = !result.Executed && mediaType == GraphQLResponseJson ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        context.Response.ContentType = mediaType + "; charset=utf-8";
        if (key is { } keep && result is { Executed: true, Errors: null or { Count: 0 }, Extensions: null or { Count: 0 } }
            && result.Operation?.Operation == OperationType.Query)
        {
            using var json = new MemoryStream();
            await serializer.WriteAsync(json, result, context.RequestAborted);
            var answer = json.ToArray();
            results.Keep(keep, answer, context.RequestServices.GetRequiredService<ResponseFreshness>());
            await context.Response.Body.WriteAsync(answer, context.RequestAborted);
            return;
        }
        await serializer.WriteAsync(context.Response.Body, result, context.RequestAborted);
    }

    private static bool TryReadPost(JsonElement body, IGraphQLTextSerializer serializer, out GraphQLRequest request, out string problem)
    {
        JsonElement? Property(string name) => body.TryGetProperty(name, out var value) ? value : null;
        request = new GraphQLRequest();
        if (Property("operationName") is { ValueKind: not (JsonValueKind.String or JsonValueKind.Null) })
        {
            problem = "`operationName` must be a string or null.";
            return false;
        }
        if (!TryReadMap("variables", Property("variables"), serializer, out var variables, out problem)
            || !TryReadMap("extensions", Property("extensions"), serializer, out var extensions, out problem))
        {
            return false;
        }
        request.Query = Property("query") is { ValueKind: JsonValueKind.String } query ? query.GetString() : null;
        request.DocumentId = DocumentId(Property("documentId") ?? Property("id"));
        request.OperationName = Property("operationName") is { ValueKind: JsonValueKind.String } name ? name.GetString() : null;
        request.Variables = variables;
        request.Extensions = extensions;
        return HasQuery(request, out problem);
    }

    private static bool TryReadGet(IQueryCollection parameters, IGraphQLTextSerializer serializer, out GraphQLRequest request, out string problem)
    {
        request = new GraphQLRequest
        {
            Query = parameters["query"].FirstOrDefault(),
            DocumentId = parameters["documentId"].FirstOrDefault() ?? parameters["id"].FirstOrDefault(),
            OperationName = parameters["operationName"].FirstOrDefault(),
        };
        using var variablesJson = ParseOrNull(parameters["variables"].FirstOrDefault());
        using var extensionsJson = ParseOrNull(parameters["extensions"].FirstOrDefault());
        if (!TryReadMap("variables", variablesJson?.RootElement, serializer, out var variables, out problem)
            || !TryReadMap("extensions", extensionsJson?.RootElement, serializer, out var extensions, out problem))
        {
            return false;
        }
        request.Variables = variables;
        request.Extensions = extensions;
        return HasQuery(request, out problem);
    }

    /// <summary>A query, a persisted operation's id, or Apollo's persisted-query hash (which <see cref="PersistedOperations"/> resolves).</summary>
    private static bool HasQuery(GraphQLRequest request, out string problem)
    {
        var missing = request.Query is null
            ? request.DocumentId is null && request.Extensions?.ContainsKey("persistedQuery") != true
            : string.IsNullOrWhiteSpace(request.Query);
        problem = !missing ? "" : request.Query is null ? NoOperation : "`query` must be a non-empty string.";
        return !missing;
    }

    /// <summary>What a request without any operation is told, with the code <c>QUERY_MISSING</c>: most often it is a person
    /// trying the URL with curl.</summary>
    private const string NoOperation = "This is the GraphQL endpoint: send an operation as `query` (POST a JSON body, or GET with `?query=`). " +
        "Browsers get Banana Cake Pop, the GraphQL IDE, at this URL; `?sdl` returns the schema.";

    private static string? CodeOf(string problem) => problem == NoOperation ? "QUERY_MISSING" : null;

    /// <summary>HotChocolate and Relay send <c>id</c>, the GraphQL-over-HTTP draft <c>documentId</c>; other JSON types are ignored.</summary>
    private static string? DocumentId(JsonElement? value) => value is { ValueKind: JsonValueKind.String } id ? id.GetString() : null;

    private static bool TryReadMap(string name, JsonElement? value, IGraphQLTextSerializer serializer, out Inputs? map, out string problem)
    {
        map = null;
        problem = "";
        if (value is null or { ValueKind: JsonValueKind.Null })
        {
            return true;
        }
        if (value.Value.ValueKind != JsonValueKind.Object)
        {
            problem = $"`{name}` must be a JSON object or null.";
            return false;
        }
        map = serializer.ReadNode<Inputs>(value.Value);
        return true;
    }

    /// <summary>GET carries <c>variables</c> and <c>extensions</c> as URL-encoded JSON; text that is not JSON becomes a
    /// JSON string, which <see cref="TryReadMap"/> then refuses as not an object.</summary>
    private static JsonDocument? ParseOrNull(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return JsonDocument.Parse(JsonSerializer.Serialize(text));
        }
    }

    private static Task WriteNotAcceptableAsync(HttpContext context)
        => WriteErrorAsync(context, StatusCodes.Status406NotAcceptable, Json,
            $"Accept {GraphQLResponseJson} or {Json} (or text/event-stream for subscriptions).");

    /// <summary>What the client accepts: the JSON media type it prefers (by <c>q=</c>, then by its order; <c>*/*</c> and no
    /// <c>Accept</c> mean <c>application/json</c>), null when it accepts no JSON; and whether it accepts an event stream.</summary>
    private readonly record struct AcceptedAnswers(string? Json, bool EventStream)
    {
        public bool None => Json is null && !EventStream;

        /// <summary>A request refused before it runs is answered in JSON, even to a client that asked for a stream.</summary>
        public string ErrorMediaType => Json ?? GraphQLHttpEndpoint.Json;

        public static AcceptedAnswers Of(HttpRequest request)
        {
            var accept = request.GetTypedHeaders().Accept;
            if (accept.Count == 0)
            {
                return new(GraphQLHttpEndpoint.Json, false);
            }
            string? json = null;
            var eventStream = false;
            // Stable: among equal qualities the client's order stands.
            foreach (var range in accept.OrderByDescending(range => range.Quality ?? 1))
            {
                if (range.Quality == 0)
                {
                    continue;
                }
                if (range.MediaType.Equals(EventStreamType, StringComparison.OrdinalIgnoreCase))
                {
                    eventStream = true;
                }
                else if (json is null && range.MediaType.Equals(GraphQLResponseJson, StringComparison.OrdinalIgnoreCase))
                {
                    json = GraphQLResponseJson;
                }
                else if (json is null && (range.MediaType.Equals(GraphQLHttpEndpoint.Json, StringComparison.OrdinalIgnoreCase) || range.MatchesAllTypes
                    || range.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase)))
                {
                    json = GraphQLHttpEndpoint.Json;
                }
            }
            return new(json, eventStream);
        }
    }

    private static bool AcceptsHtml(HttpRequest request)
        => request.GetTypedHeaders().Accept.Any(range => range.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static bool IsJsonContent(string? contentType)
        => MediaTypeHeaderValue.TryParse(contentType, out var parsed)
           && parsed.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase)
           && (!parsed.Charset.HasValue || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static readonly JsonSerializerOptions ErrorJson = new() { Encoder = MinimalJsonEscaping.Instance, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private static async Task WriteErrorAsync(HttpContext context, int status, string mediaType, string message, string? code = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = mediaType + "; charset=utf-8";
        var error = new { message, extensions = code is null ? null : new { code } };
        await JsonSerializer.SerializeAsync(context.Response.Body, new { errors = new[] { error } }, ErrorJson, context.RequestAborted);
    }
}
