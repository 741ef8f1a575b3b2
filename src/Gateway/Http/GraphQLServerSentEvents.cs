using System.Text;
using System.Threading.Channels;
using Gateway.Callers;
using Gateway.Subscriptions;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

/// <summary>
/// GraphQL over Server-Sent Events, distinct-connections mode (the <c>graphql-sse</c> library's default): a POST (JSON
/// body) or GET (query parameters) with <c>Accept: text/event-stream</c> streams <c>event: next</c> per result and ends
/// with <c>event: complete</c>. The stream ends when the client closes it; a client that stops reading and falls
/// <see cref="SubscriptionOptions.OutboundBufferCapacity"/> results behind is disconnected.
/// </summary>
internal static class GraphQLServerSentEvents
{
    /// <summary>Runs the operation and streams its results; <see cref="GraphQLHttpEndpoint"/> decided an event stream is
    /// the answer (a subscription, or a client that accepts nothing else) and read the request.</summary>
    public static async Task StreamAsync(HttpContext context, GraphQLRequest request)
    {
        var services = context.RequestServices;
        var serializer = services.GetRequiredService<IGraphQLTextSerializer>();
        var options = services.GetRequiredService<IOptions<SubscriptionOptions>>().Value;
        var header = context.Request.Headers.Authorization.ToString();
        var subscriber = new SubscriberCredentials(context.User, header.Length > 0 ? header : null);

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        // Headers go out now: clients wait for them before they count the subscription as open.
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);

        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        var result = await services.GetRequiredService<SubscriptionExecutor>().ExecuteAsync(request, subscriber, lifetime.Token,
            lastEventId.Length > 0 ? lastEventId : null);
        if (result.Streams is { Count: > 0 } streams)
        {
            var results = Channel.CreateBounded<ExecutionResult>(new BoundedChannelOptions(options.OutboundBufferCapacity) { SingleReader = true });
            using var subscription = streams.Values.First().Subscribe(new Observer(results, () =>
            {
                services.GetRequiredService<ILogger<SubscriptionOptions>>()
                    .LogWarning("An SSE subscriber stopped reading: {Capacity} results were waiting; it was disconnected.", options.OutboundBufferCapacity);
                services.GetRequiredService<Telemetry.GatewayMetrics>().SlowSubscribersDisconnected.Add(1);
                lifetime.Cancel();
                context.Abort();
            }));
            try
            {
                await StreamResultsAsync(context, results.Reader, serializer, options.SseKeepAliveInterval, lifetime.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        else
        {
            await WriteAsync(context, "event: next\ndata: " + serializer.Serialize(result) + "\n\n", lifetime.Token);
        }
        await WriteAsync(context, "event: complete\ndata: \n\n", lifetime.Token);
    }

    private static async Task StreamResultsAsync(HttpContext context, ChannelReader<ExecutionResult> results, IGraphQLTextSerializer serializer,
        TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(keepAlive);
            bool more;
            try
            {
                more = await results.WaitToReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await WriteAsync(context, ":\n\n", cancellationToken);
                continue;
            }
            if (!more)
            {
                return;
            }
            while (results.TryRead(out var result))
            {
                // The event's id lets a reconnecting client resume with Last-Event-ID.
                var id = result.Extensions?.GetValueOrDefault(SubscriberExecutionStrategy.EventIdExtension) is string eventId ? "id: " + eventId + "\n" : "";
                await WriteAsync(context, id + "event: next\ndata: " + serializer.SerializeOnce(result) + "\n\n", cancellationToken);
            }
        }
    }

    private static async Task WriteAsync(HttpContext context, string text, CancellationToken cancellationToken)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private sealed class Observer(Channel<ExecutionResult> results, Action overflow) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value)
        {
            if (!results.Writer.TryWrite(value))
            {
                overflow();
            }
        }

        public void OnError(Exception error) => results.Writer.TryComplete();

        public void OnCompleted() => results.Writer.TryComplete();
    }
}
