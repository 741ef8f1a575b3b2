using System.Text.Json;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Graph;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MetaGraph.Emulator;

/// <summary>An emulator on Kestrel, in this process: for the gateway's embedded demo mode, tests and benchmarks.</summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorState _state;

    private EmulatorServer(WebApplication app, EmulatorState state, Uri baseAddress)
    {
        _app = app;
        _state = state;
        BaseAddress = baseAddress;
    }

    /// <summary>The root URL with a trailing slash; Graph paths live under <c>{BaseAddress}{version}/</c>.</summary>
    public Uri BaseAddress { get; }

    public IReadOnlyList<SeedPage> Seed => _state.Seed;

    public InboxData Data => _state.Data;

    public IReadOnlyList<RecordedRequest> Requests => _state.Requests;

    public void ResetRequests() => _state.ResetRequests();

    public void Configure(EmulatorRuntimeConfig config) => _state.Configure(config);

    public static async Task<EmulatorServer> StartAsync(
        EmulatorOptions? options = null, string url = "http://127.0.0.1:0", CancellationToken cancellationToken = default)
    {
        var state = new EmulatorState(options ?? new EmulatorOptions());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.MapMetaGraphEmulator(state);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorServer(app, state, new Uri(address.TrimEnd('/') + "/"));
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public static class EmulatorEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The diagnostics and control endpoints, then the Graph API on every other path.</summary>
    public static IEndpointRouteBuilder MapMetaGraphEmulator(this IEndpointRouteBuilder endpoints, EmulatorState state)
    {
        endpoints.MapGet("/_emulator/seed", () => Results.Json(state.Seed, Json));
        endpoints.MapGet("/_emulator/requests", () =>
        {
            var requests = state.Requests;
            return Results.Json(new { count = requests.Count, requests }, Json);
        });
        endpoints.MapDelete("/_emulator/requests", () =>
        {
            state.ResetRequests();
            return Results.NoContent();
        });
        endpoints.MapPost("/_emulator/config", async (HttpRequest request) =>
        {
            try
            {
                var config = await request.ReadFromJsonAsync<EmulatorRuntimeConfig>(Json);
                state.Configure(config ?? new EmulatorRuntimeConfig());
                return Results.Json(new { latencyMs = state.LatencyMs, faultRate = state.FaultRate, rateLimitPerSecond = state.RateLimitPerSecond }, Json);
            }
            catch (Exception error) when (error is JsonException or BadHttpRequestException or InvalidOperationException)
            {
                return Results.Json(new { error = "Send JSON such as {\"latencyMs\":20,\"faultRate\":0.1,\"rateLimitPerSecond\":2}." }, Json, statusCode: 400);
            }
        });
        endpoints.MapGraphApi(state);
        return endpoints;
    }
}
