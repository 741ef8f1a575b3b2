using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaGraph.Emulator.Diagnostics;

/// <summary><c>/_emulator/*</c>: the seeded Pages and tokens, the request log, the webhook deliveries, and run-time behaviour.</summary>
internal static class DiagnosticsEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // The answer to a config change shows every value, a null rate limit included.
    private static readonly JsonSerializerOptions ConfigJson = new(JsonSerializerDefaults.Web);

    public static void MapDiagnostics(this IEndpointRouteBuilder endpoints, EmulatorState state)
    {
        var diagnostics = endpoints.MapGroup("/_emulator");
        diagnostics.MapGet("/seed", () => Results.Json(state.Seed, Json));
        diagnostics.MapGet("/requests", () =>
        {
            var requests = state.Requests;
            return Results.Json(new { count = requests.Count, requests }, Json);
        });
        diagnostics.MapDelete("/requests", () =>
        {
            state.ResetRequests();
            return Results.NoContent();
        });
        diagnostics.MapGet("/webhooks", () =>
        {
            var deliveries = state.Webhooks.Log.Snapshot();
            return Results.Json(new { count = deliveries.Count, deliveries }, Json);
        });
        diagnostics.MapPost("/config", async (HttpRequest request) =>
        {
            try
            {
                var config = await JsonSerializer.DeserializeAsync<EmulatorRuntimeConfig>(request.Body, Json, request.HttpContext.RequestAborted);
                await state.ConfigureAsync(config ?? new EmulatorRuntimeConfig(), request.HttpContext.RequestAborted);
            }
            catch (EmulatorConfigException error)
            {
                return ConfigError(error.Message);
            }
            catch (Exception error) when (error is JsonException or ArgumentOutOfRangeException)
            {
                return ConfigError("Send JSON such as {\"latencyMs\":20,\"faultRate\":0.1,\"rateLimitPerSecond\":2}: latency and rate limit " +
                    "not negative, fault rate from 0 to 1; a rate limit of 0 turns it off.");
            }
            return Results.Json(state.Runtime.WithoutSecrets(), ConfigJson);
        });
    }

    private static IResult ConfigError(string message)
        => Results.Json(new { error = new { message, type = "EmulatorConfigException", code = 100 } }, Json, statusCode: 400);
}
