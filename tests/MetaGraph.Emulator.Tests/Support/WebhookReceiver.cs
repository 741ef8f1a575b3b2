using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetaGraph.Emulator.Tests.Support;

/// <summary>A webhook receiver on Kestrel, on a free loopback port: it answers Meta's verification handshake when the
/// verify token matches, and records every POST with its exact bytes and headers.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string AppSecret = "receiver-app-secret";
    public const string VerifyToken = "receiver-verify-token";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly WebApplication _app;
    private readonly Channel<ReceivedPost> _posts = Channel.CreateUnbounded<ReceivedPost>();
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly ConcurrentQueue<string> _verifications = new();
    private TaskCompletionSource? _hold;

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The callback URL, <c>http://127.0.0.1:{port}/webhooks/meta</c>.</summary>
    public string Url { get; }

    /// <summary>The query strings of the verification GETs received.</summary>
    public IReadOnlyCollection<string> Verifications => _verifications;

    /// <summary>When false, the handshake answers 200 with something other than the challenge.</summary>
    public bool EchoChallenge { get; set; } = true;

    public static async Task<WebhookReceiver> StartAsync(string verifyToken = VerifyToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapGet("/webhooks/meta", (HttpRequest request) =>
        {
            receiver!._verifications.Enqueue(request.QueryString.Value ?? "");
            return request.Query["hub.mode"] == "subscribe" && request.Query["hub.verify_token"] == verifyToken
                ? Results.Text(receiver.EchoChallenge ? request.Query["hub.challenge"].ToString() : "hello", "text/plain")
                : Results.StatusCode(403);
        });
        app.MapPost("/webhooks/meta", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            var post = new ReceivedPost(body.ToArray(), request.Headers["X-Hub-Signature-256"].ToString(),
                request.Headers["X-Hub-Signature"].ToString(), request.ContentType);
            var hold = Interlocked.Exchange(ref receiver!._hold, null);
            await receiver._posts.Writer.WriteAsync(post);
            if (hold is not null)
            {
                await hold.Task;
            }
            return Results.StatusCode(receiver._answers.TryDequeue(out var status) ? status : 200);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver = new WebhookReceiver(app, address.TrimEnd('/') + "/webhooks/meta");
        return receiver;
    }

    /// <summary>The next POSTs are answered with these statuses, in order; after them, 200.</summary>
    public void AnswerNextPostsWith(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _answers.Enqueue(status);
        }
    }

    /// <summary>The next POST is recorded at once but answered only when the returned source is completed.</summary>
    public TaskCompletionSource HoldNextPost()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hold = hold;
        return hold;
    }

    public async Task<ReceivedPost> NextPostAsync() => await _posts.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    /// <summary>True when no POST has arrived that was not taken with <see cref="NextPostAsync"/>.</summary>
    public bool NothingMoreReceived => !_posts.Reader.TryPeek(out _);

    public async ValueTask DisposeAsync()
    {
        _hold?.TrySetResult();
        await _app.DisposeAsync();
    }
}

/// <summary>A webhook POST as received: its exact bytes and its signature headers.</summary>
public sealed record ReceivedPost(byte[] Body, string Signature256, string Signature1, string? ContentType)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonNode Json => JsonNode.Parse(Body)!;

    public JsonArray Entries => Json["entry"]!.AsArray();

    /// <summary>The <c>messaging</c> event of each entry, in order.</summary>
    public IReadOnlyList<JsonNode> Events => Entries.Select(entry => Assert.Single(entry!["messaging"]!.AsArray())!).ToList();

    public IReadOnlyList<string> Mids => Events.Select(e => e["message"]!["mid"]!.GetValue<string>()).ToList();
}
