using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaGraph.Emulator.Diagnostics;

/// <summary><c>/_emulator/*</c>: the seeded Pages and tokens, the request log, and run-time behaviour.</summary>
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
        diagnostics.MapPost("/config", async (HttpRequest request) =>
        {
            try
            {
                var config = await JsonSerializer.DeserializeAsync<EmulatorRuntimeConfig>(request.Body, Json, request.HttpContext.RequestAborted);
                state.Configure(config ?? new EmulatorRuntimeConfig());
            }
            catch (Exception error) when (error is JsonException or ArgumentOutOfRangeException)
            {
                return Results.Json(new
                {
                    error = new
                    {
                        message = "Send JSON such as {\"latencyMs\":20,\"faultRate\":0.1,\"rateLimitPerSecond\":2}: latency and rate limit " +
                            "not negative, fault rate from 0 to 1; a rate limit of 0 turns it off.",
                        type = "EmulatorConfigException",
                        code = 100,
                    },
                }, Json, statusCode: 400);
            }
            return Results.Json(state.Runtime, ConfigJson);
        });
    }
}
