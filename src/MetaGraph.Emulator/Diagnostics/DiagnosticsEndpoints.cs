using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaGraph.Emulator.Diagnostics;

/// <summary><c>/_emulator/*</c>: the seeded Pages and tokens, the request log, the sends processed, the webhook deliveries, the
/// clock, and run-time behaviour.</summary>
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
        MapLog(diagnostics, "requests", () => state.Requests, state.ResetRequests);
        MapLog(diagnostics, "sends", () => state.SentMessages, state.ResetSentMessages);
        diagnostics.MapGet("/clock", () => Results.Json(ClockAnswer(state.Clock), Json));
        diagnostics.MapPost("/clock", async (HttpRequest request) =>
        {
            ClockChange? change;
            try
            {
                change = await JsonSerializer.DeserializeAsync<ClockChange>(request.Body, Json, request.HttpContext.RequestAborted);
            }
            catch (JsonException)
            {
                change = null;
            }
            if (change is null)
            {
                return ConfigError("Send JSON such as {\"now\":\"2026-10-01T00:00:00Z\"}, {\"advanceBy\":\"1.00:00:00\"} or {\"frozen\":true}.");
            }
            change.ApplyTo(state.Clock);
            return Results.Json(ClockAnswer(state.Clock), Json);
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

    /// <summary><c>GET /_emulator/{name}</c> answers <c>{"count":n,"{name}":[...]}</c>; <c>DELETE</c> empties it.</summary>
    private static void MapLog<T>(RouteGroupBuilder diagnostics, string name, Func<IReadOnlyList<T>> entries, Action reset)
    {
        diagnostics.MapGet($"/{name}", () =>
        {
            var list = entries();
            return Results.Json(new Dictionary<string, object> { ["count"] = list.Count, [name] = list }, Json);
        });
        diagnostics.MapDelete($"/{name}", () =>
        {
            reset();
            return Results.NoContent();
        });
    }

    private static object ClockAnswer(EmulatorClock clock) => new { now = clock.Now, frozen = clock.Frozen, seedNow = EmulatorClock.SeedNow };

    /// <summary><c>POST /_emulator/clock</c>: stop the clock first when <see cref="Frozen"/> is true (so the rest lands exactly),
    /// then set it to <see cref="Now"/>, move it by <see cref="AdvanceBy"/>, and let it run when <see cref="Frozen"/> is false.</summary>
    private sealed record ClockChange(DateTimeOffset? Now, TimeSpan? AdvanceBy, bool? Frozen)
    {
        public void ApplyTo(EmulatorClock clock)
        {
            if (Frozen == true)
            {
                clock.Freeze();
            }
            if (Now is { } now)
            {
                clock.Set(now);
            }
            if (AdvanceBy is { } by)
            {
                clock.Advance(by);
            }
            if (Frozen == false)
            {
                clock.Resume();
            }
        }
    }

    private static IResult ConfigError(string message)
        => Results.Json(new { error = new { message, type = "EmulatorConfigException", code = 100 } }, Json, statusCode: 400);
}
