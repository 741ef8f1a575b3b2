using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Gateway.Callers;
using Gateway.Subscriptions;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

/// <summary>
/// One WebSocket speaking <c>graphql-transport-ws</c> (the protocol of the <c>graphql-ws</c> library): connection_init
/// and ack, ping/pong, subscribe/next/error/complete, and the protocol's close codes. Everything sent goes through one
/// bounded queue; a client that stops reading fills it and is disconnected, which releases its subscriptions.
/// </summary>
internal sealed class GraphQLWebSocketConnection
{
    public const string SubProtocol = "graphql-transport-ws";
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpContext _context;
    private readonly WebSocket _socket;
    private readonly SubscriptionOptions _options;
    private readonly SubscriptionExecutor _executor;
    private readonly IGraphQLTextSerializer _serializer;
    private readonly ILogger _logger;
    private readonly Channel<Outgoing> _outbound;
    private readonly CancellationTokenSource _lifetime;
    private readonly Dictionary<string, Operation> _operations = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _initReceived;
    private volatile bool _closing;
    private SubscriberCredentials? _subscriber;

    private GraphQLWebSocketConnection(HttpContext context, WebSocket socket)
    {
        _context = context;
        _socket = socket;
        _options = context.RequestServices.GetRequiredService<IOptions<SubscriptionOptions>>().Value;
        _executor = context.RequestServices.GetRequiredService<SubscriptionExecutor>();
        _serializer = context.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
        _logger = context.RequestServices.GetRequiredService<ILogger<GraphQLWebSocketConnection>>();
        _outbound = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(_options.OutboundBufferCapacity) { SingleReader = true });
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
    }

    public static async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol))
        {
            // A client that hangs up before the close handshake makes this throw; ClientDisconnects notes it at Debug.
            using var refused = await context.WebSockets.AcceptWebSocketAsync();
            await refused.CloseAsync((WebSocketCloseStatus)4406, $"Subprotocol not acceptable: use {SubProtocol}", context.RequestAborted);
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync(SubProtocol);
        await new GraphQLWebSocketConnection(context, socket).RunAsync();
    }

    private async Task RunAsync()
    {
        var writer = WriteLoopAsync();
        _ = CloseIfNotInitialisedAsync();
        try
        {
            await ReadLoopAsync();
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException)
        {
            // The client went away or was disconnected: nothing to answer.
        }
        finally
        {
            _lifetime.Cancel();
            lock (_gate)
            {
                foreach (var operation in _operations.Values)
                {
                    operation.Dispose();
                }
                _operations.Clear();
            }
            _outbound.Writer.TryComplete();
            try
            {
                await writer;
            }
            catch (Exception error) when (error is WebSocketException or OperationCanceledException)
            {
            }
            _lifetime.Dispose();
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[4096];
        var message = new ArrayBufferWriter<byte>();
        while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            var received = await _socket.ReceiveAsync(buffer.AsMemory(), _lifetime.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, _lifetime.Token);
                }
                return;
            }
            if (message.WrittenCount + received.Count > _options.MaxMessageBytes)
            {
                Close(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {_options.MaxMessageBytes} bytes");
                message.ResetWrittenCount();
                continue;
            }
            message.Write(buffer.AsSpan(0, received.Count));
            if (!received.EndOfMessage)
            {
                continue;
            }
            if (received.MessageType == WebSocketMessageType.Binary)
            {
                Close(4400, "Binary messages are not supported");
            }
            else
            {
                await HandleAsync(message.WrittenMemory);
            }
            message.ResetWrittenCount();
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> text)
    {
        if (_closing)
        {
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            Close(4400, "Invalid message received: not JSON");
            return;
        }
        using (document)
        {
            var message = document.RootElement;
            var type = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("type", out var typeValue) && typeValue.ValueKind == JsonValueKind.String
                ? typeValue.GetString()
                : null;
            switch (type)
            {
                case "connection_init":
                    await InitialiseAsync(message);
                    break;
                case "ping":
                    Send("""{"type":"pong"}""");
                    break;
                case "pong":
                    break;
                case "subscribe":
                    Subscribe(message);
                    break;
                case "complete":
                    if (Id(message) is { } completed)
                    {
                        Remove(completed)?.Dispose();
                    }
                    break;
                default:
                    Close(4400, "Invalid message received: unknown or missing type");
                    break;
            }
        }
    }

    private async Task InitialiseAsync(JsonElement message)
    {
        if (Interlocked.Exchange(ref _initReceived, 1) == 1)
        {
            Close(4429, "Too many initialisation requests");
            return;
        }
        var payload = message.TryGetProperty("payload", out var value) ? value : default;
        if (payload.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined))
        {
            Close(4400, "Invalid message received: payload must be an object");
            return;
        }
        var subscriber = await AuthenticateAsync(payload);
        if (subscriber is null)
        {
            Close(4403, "Forbidden");
            return;
        }
        Volatile.Write(ref _subscriber, subscriber);
        Send("""{"type":"connection_ack"}""");
    }

    /// <summary>The subscriber: the <c>connection_init</c> payload's <c>Authorization</c> (key in any case) or, without it,
    /// the upgrade request's. In managed mode the payload's API key or JWT is authenticated like a request's header, and a
    /// connection without a valid one is refused.</summary>
    private async Task<SubscriberCredentials?> AuthenticateAsync(JsonElement payload)
    {
        var authorization = Property(payload, "Authorization");
        var apiKey = Property(payload, CallerAuthentication.ApiKeyHeader);
        var managed = _context.RequestServices.GetRequiredService<IOptions<CallerAuthenticationOptions>>().Value.Required;
        if (!managed)
        {
            var header = _context.Request.Headers.Authorization.ToString();
            return new SubscriberCredentials(_context.User, authorization ?? (header.Length > 0 ? header : null));
        }
        if (authorization is null && apiKey is null)
        {
            return _context.User.Identity?.IsAuthenticated == true ? new SubscriberCredentials(_context.User, null) : null;
        }
        // A scope of its own: authentication handlers are cached per scope with the request they first saw (the upgrade).
        await using var scope = _context.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var probe = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        if (authorization is not null)
        {
            probe.Request.Headers.Authorization = authorization;
        }
        if (apiKey is not null)
        {
            probe.Request.Headers[CallerAuthentication.ApiKeyHeader] = apiKey;
        }
        var result = await probe.AuthenticateAsync();
        return result.Succeeded ? new SubscriberCredentials(result.Principal, authorization) : null;
    }

    private void Subscribe(JsonElement message)
    {
        if (Volatile.Read(ref _subscriber) is not { } subscriber)
        {
            Close(4401, "Unauthorized");
            return;
        }
        if (Id(message) is not { } id || !message.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object
            || !payload.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String)
        {
            Close(4400, "Invalid message received: subscribe needs an id and a payload with a query");
            return;
        }
        GraphQLRequest request;
        try
        {
            request = _serializer.ReadNode<GraphQLRequest>(payload)!;
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException)
        {
            Close(4400, "Invalid message received: variables and extensions must be objects");
            return;
        }
        Operation operation;
        lock (_gate)
        {
            if (_operations.ContainsKey(id))
            {
                Close(4409, $"Subscriber for {Truncate(id)} already exists");
                return;
            }
            if (_operations.Count >= _options.MaxOperationsPerConnection)
            {
                var refusal = $"This connection runs {_options.MaxOperationsPerConnection} operations already (GraphQL:Subscriptions:MaxOperationsPerConnection); complete one first.";
                Send($$$"""{"id":{{{JsonSerializer.Serialize(id)}}},"type":"error","payload":[{"message":{{{JsonSerializer.Serialize(refusal)}}},"extensions":{"code":"TOO_MANY_SUBSCRIPTIONS"}}]}""");
                return;
            }
            operation = new Operation(_lifetime.Token);
            _operations.Add(id, operation);
        }
        _ = RunOperationAsync(id, request, subscriber, operation);
    }

    private async Task RunOperationAsync(string id, GraphQLRequest request, SubscriberCredentials subscriber, Operation operation)
    {
        var cancellation = operation.Token;
        try
        {
            var result = await _executor.ExecuteAsync(request, subscriber, cancellation);
            if (result.Streams is { Count: > 0 } streams)
            {
                operation.Attach(streams.Values.First().Subscribe(new Observer(this, id)));
                return;
            }
            if (Remove(id) is null)
            {
                return;
            }
            if (!result.Executed)
            {
                Send($$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"error","payload":{{ErrorsOf(result)}}}""");
                return;
            }
            Send(Next(id, result));
            Send(Complete(id));
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    private string Next(string id, ExecutionResult result) => $$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"next","payload":{{_serializer.SerializeOnce(result)}}}""";

    private static string Complete(string id) => $$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"complete"}""";

    private string ErrorsOf(ExecutionResult result)
        => System.Text.Json.Nodes.JsonNode.Parse(_serializer.Serialize(result))?["errors"]?.ToJsonString() ?? "[]";

    private Operation? Remove(string id)
    {
        lock (_gate)
        {
            return _operations.Remove(id, out var operation) ? operation : null;
        }
    }

    /// <summary>Queues a message; a full queue means the client stopped reading, and it is disconnected.</summary>
    private void Send(string text)
    {
        if (!_outbound.Writer.TryWrite(new Outgoing(text, null, null)) && !_closing && !_lifetime.IsCancellationRequested)
        {
            Disconnect();
        }
    }

    private void Close(WebSocketCloseStatus status, string reason) => Close((int)status, reason);

    /// <summary>Queues a close frame after what is already queued; nothing is sent after it.</summary>
    private void Close(int code, string reason)
    {
        if (_closing)
        {
            return;
        }
        _closing = true;
        if (!_outbound.Writer.TryWrite(new Outgoing(null, code, reason)) && !_lifetime.IsCancellationRequested)
        {
            Disconnect();
        }
        _outbound.Writer.TryComplete();
    }

    private void Disconnect()
    {
        _logger.LogWarning("A subscriber stopped reading: {Capacity} messages were waiting; it was disconnected.", _options.OutboundBufferCapacity);
        _context.RequestServices.GetRequiredService<Telemetry.GatewayMetrics>().SlowSubscribersDisconnected.Add(1);
        _lifetime.Cancel();
        _socket.Abort();
    }

    private async Task WriteLoopAsync()
    {
        await foreach (var item in _outbound.Reader.ReadAllAsync(_lifetime.Token))
        {
            if (item.CloseCode is { } code)
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)code, item.Reason, _lifetime.Token);
                // The client answers the close frame; one that does not is cut off.
                _lifetime.CancelAfter(CloseHandshakeTimeout);
                return;
            }
            await _socket.SendAsync(Encoding.UTF8.GetBytes(item.Text!), WebSocketMessageType.Text, endOfMessage: true, _lifetime.Token);
        }
    }

    private async Task CloseIfNotInitialisedAsync()
    {
        try
        {
            await Task.Delay(_options.ConnectionInitTimeout, _lifetime.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (Volatile.Read(ref _initReceived) == 0)
        {
            Close(4408, "Connection initialisation timeout");
        }
    }

    private static string? Id(JsonElement message)
        => message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } value ? value : null;

    private static string? Property(JsonElement payload, string name)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        foreach (var property in payload.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString();
            }
        }
        return null;
    }

    /// <summary>A close reason is at most 123 bytes.</summary>
    private static string Truncate(string id) => id.Length > 60 ? id[..60] : id;

    private readonly record struct Outgoing(string? Text, int? CloseCode, string? Reason);

    /// <summary>An operation in flight: cancelled when the client completes it or the connection ends.</summary>
    private sealed class Operation(CancellationToken connection) : IDisposable
    {
        private readonly CancellationTokenSource _cancellation = CancellationTokenSource.CreateLinkedTokenSource(connection);
        private readonly Lock _gate = new();
        private IDisposable? _subscription;
        private bool _disposed;

        public CancellationToken Token => _cancellation.Token;

        public void Attach(IDisposable subscription)
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    _subscription = subscription;
                    return;
                }
            }
            subscription.Dispose();
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }
                _disposed = true;
            }
            _cancellation.Cancel();
            _subscription?.Dispose();
            _cancellation.Dispose();
        }
    }

    private sealed class Observer(GraphQLWebSocketConnection connection, string id) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value) => connection.Send(connection.Next(id, value));

        public void OnError(Exception error) => OnCompleted();

        public void OnCompleted()
        {
            if (connection.Remove(id) is { } operation)
            {
                operation.Dispose();
                connection.Send(Complete(id));
            }
        }
    }
}
