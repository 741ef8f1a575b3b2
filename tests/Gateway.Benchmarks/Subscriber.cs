using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using MetaGraph.Emulator;

namespace Gateway.Benchmarks;

/// <summary>A WebSocket subscriber (<c>graphql-transport-ws</c>) of one subscription whose events name a message, noting when
/// each arrived.</summary>
internal sealed class Subscriber : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly string _field;
    private readonly string _idProperty;
    private readonly Channel<(string Id, long At)> _events = Channel.CreateUnbounded<(string, long)>();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _receiving;

    private Subscriber(string field, string idProperty)
    {
        _field = field;
        _idProperty = idProperty;
    }

    /// <summary>Completes with the first event received.</summary>
    public Task Ready => _ready.Task;

    /// <param name="query">The subscription, with a <c>$page</c> variable; <paramref name="field"/> is its root field, whose
    /// <paramref name="idProperty"/> names the message of an event.</param>
    /// <param name="operationName">Names the operation, so that subscriptions named differently share nothing.</param>
    public static async Task<Subscriber> ConnectAsync(Uri gateway, SeedPage page, string query, string field, string idProperty, string? operationName = null)
    {
        var subscriber = new Subscriber(field, idProperty);
        subscriber._socket.Options.AddSubProtocol("graphql-transport-ws");
        await subscriber._socket.ConnectAsync(new UriBuilder(new Uri(gateway, "graphql")) { Scheme = "ws" }.Uri, CancellationToken.None);
        await subscriber.SendAsync(new { type = "connection_init", payload = new { Authorization = "Bearer " + page.AccessToken } });
        subscriber._receiving = subscriber.ReceiveAsync();
        await subscriber.SendAsync(new { id = "1", type = "subscribe", payload = new
        {
            query = operationName is null ? query : query.Replace("subscription(", $"subscription {operationName}(", StringComparison.Ordinal),
            operationName,
            variables = new { page = page.PageId },
        } });
        return subscriber;
    }

    public async Task<long> NextAsync(string mid)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var (id, at) = await _events.Reader.ReadAsync(timeout.Token);
            if (id == mid)
            {
                return at;
            }
        }
    }

    private Task SendAsync(object message)
        => _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    private async Task ReceiveAsync()
    {
        var buffer = new byte[16 * 1024];
        while (_socket.State == WebSocketState.Open)
        {
            ValueWebSocketReceiveResult result;
            var length = 0;
            do
            {
                result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
            var at = Stopwatch.GetTimestamp();
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
            using var message = JsonDocument.Parse(buffer.AsMemory(0, length));
            if (message.RootElement.GetProperty("type").GetString() == "next")
            {
                var id = message.RootElement.GetProperty("payload").GetProperty("data").GetProperty(_field).GetProperty(_idProperty).GetString()!;
                _events.Writer.TryWrite((id, at));
                _ready.TrySetResult();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            await _receiving!;
        }
        catch (WebSocketException)
        {
        }
        _socket.Dispose();
    }
}
