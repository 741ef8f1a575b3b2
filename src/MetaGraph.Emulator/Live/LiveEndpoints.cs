using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaGraph.Emulator.Live;

/// <summary><c>POST /_emulator/messages|reads|reactions|unsends|postbacks|availability</c>: people and the Page change the inbox
/// at run time.
/// Each takes one JSON object, or an array of them that is applied in order, all or none, and whose webhook events go
/// out together; the answer is the <see cref="LiveAnswer"/> (or the array of them).</summary>
internal static class LiveEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void MapLiveInbox(this IEndpointRouteBuilder endpoints, EmulatorState state)
    {
        var live = endpoints.MapGroup("/_emulator");
        live.MapPost("/messages", (HttpRequest request) => ChangeAsync<MessageInput>(request, state.Inbox.Write,
            """{"pageId":"…","platform":"messenger","userId":"…","text":"Hello"}"""));
        live.MapPost("/reads", (HttpRequest request) => ChangeAsync<ReadInput>(request, state.Inbox.Read,
            """{"pageId":"…","platform":"messenger","userId":"…","by":"person"}"""));
        live.MapPost("/reactions", (HttpRequest request) => ChangeAsync<ReactionInput>(request, state.Inbox.React,
            """{"pageId":"…","messageId":"…","reaction":"love"}"""));
        live.MapPost("/unsends", (HttpRequest request) => ChangeAsync<UnsendInput>(request, state.Inbox.Unsend,
            """{"pageId":"…","messageId":"…"}"""));
        live.MapPost("/postbacks", (HttpRequest request) => ChangeAsync<PostbackInput>(request, state.Inbox.Postback,
            """{"pageId":"…","platform":"messenger","userId":"…","title":"Track my order","payload":"TRACK_ORDER"}"""));
        live.MapPost("/availability", (HttpRequest request) => ChangeAsync<AvailabilityInput>(request, state.Inbox.SetAvailability,
            """{"pageId":"…","platform":"messenger","userId":"…","availability":"blocked"}"""));
    }

    private static async Task<IResult> ChangeAsync<T>(HttpRequest request, Func<IReadOnlyList<T>, IReadOnlyList<LiveAnswer>> change, string example)
        where T : class
    {
        List<T?>? inputs;
        bool many;
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            many = body.RootElement.ValueKind == JsonValueKind.Array;
            inputs = many ? body.RootElement.Deserialize<List<T?>>(Json) : [body.RootElement.Deserialize<T>(Json)];
        }
        catch (JsonException)
        {
            inputs = null;
            many = false;
        }
        if (inputs is not { Count: > 0 } || inputs.Contains(null))
        {
            return Error(400, $"Send a JSON object such as {example}, or a non-empty array of them.");
        }
        try
        {
            var answers = change(inputs!);
            return many ? Results.Json(answers, Json) : Results.Json(answers[0], Json);
        }
        catch (LiveInputException error)
        {
            return Error(error.Status, error.Message);
        }
    }

    private static IResult Error(int status, string message)
        => Results.Json(new { error = new { message, type = "EmulatorInputException", code = 100 } }, Json, statusCode: status);
}
