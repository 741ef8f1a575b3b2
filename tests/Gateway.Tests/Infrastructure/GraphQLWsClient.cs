using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Infrastructure;

/// <summary>A bare <c>graphql-transport-ws</c> client over a real WebSocket, for checking the protocol message by message.</summary>
public sealed class GraphQLWsClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly ClientWebSocket _socket;

    private GraphQLWsClient(ClientWebSocket socket) => _socket = socket;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseReason => _socket.CloseStatusDescription;

    public static Task<GraphQLWsClient> ConnectAsync(GatewayHost host, string? subProtocol = "graphql-transport-ws", string? authorization = null, string path = "/graphql")
        => ConnectAsync(host.Client.BaseAddress!, subProtocol, authorization, path);

    public static async Task<GraphQLWsClient> ConnectAsync(Uri gateway, string? subProtocol = "graphql-transport-ws", string? authorization = null, string path = "/graphql")
    {
        var socket = new ClientWebSocket();
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }
        if (authorization is not null)
        {
            socket.Options.SetRequestHeader("Authorization", authorization);
        }
        var uri = new UriBuilder(new Uri(gateway, path)) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        return new GraphQLWsClient(socket);
    }

    /// <summary>Connects and completes <c>connection_init</c> / <c>connection_ack</c>.</summary>
    public static Task<GraphQLWsClient> ConnectAndInitAsync(GatewayHost host, object? payload = null)
        => ConnectAndInitAsync(host.Client.BaseAddress!, payload);

    public static async Task<GraphQLWsClient> ConnectAndInitAsync(Uri gateway, object? payload = null)
    {
        var client = await ConnectAsync(gateway);
        await client.SendAsync(new { type = "connection_init", payload });
        var ack = await client.ReceiveAsync();
        Assert.True(ack?["type"]?.GetValue<string>() == "connection_ack", $"Expected connection_ack, got {ack?.ToJsonString() ?? $"close {client.CloseStatus} {client.CloseReason}"}");
        return client;
    }

    public Task SubscribeAsync(string id, string query, object? variables = null)
        => SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text)
        => _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message, or null once the server closed the connection (see <see cref="CloseStatus"/>).</summary>
    public async Task<JsonObject?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                // Answer the close as browsers do; unanswered, the server holds the connection until its close timeout.
                await _socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, timeout.Token);
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(message.ToArray())!.AsObject();
            }
        }
    }

    /// <summary>The next <c>next</c> message's <c>payload.data</c>, failing on anything else.</summary>
    public async Task<JsonNode> ReceiveDataAsync(string id) => (await ReceiveResultAsync(id))["data"]!;

    /// <summary>The next <c>next</c> message's whole result (<c>data</c> and <c>extensions</c>), failing on errors or
    /// anything else.</summary>
    public async Task<JsonNode> ReceiveResultAsync(string id)
    {
        var message = await ReceiveAsync();
        Assert.True(message?["type"]?.GetValue<string>() == "next" && message["id"]?.GetValue<string>() == id, $"Expected next for {id}, got {message?.ToJsonString() ?? $"close {CloseStatus}"}");
        Assert.Null(message!["payload"]!["errors"]);
        return message["payload"]!;
    }

    /// <summary>Reads until the server closes, and returns its close code.</summary>
    public async Task<int> ReceiveCloseAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }
        return (int)_socket.CloseStatus!.Value;
    }

    /// <summary>Drops the connection without a close handshake, as a client that crashed or lost its network.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception error) when (error is WebSocketException or OperationCanceledException)
            {
            }
        }
        _socket.Dispose();
    }
}
