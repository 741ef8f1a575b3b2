using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Configuration;
using Gateway.Inbox;
using Gateway.Telemetry;
using MetaGraph;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Webhooks;

/// <summary>
/// <c>GET|POST /webhooks/meta</c>: Meta's verification handshake, and signed deliveries whose events are handed to the inbox
/// event spine (<see cref="InboxIntake"/>) in milliseconds.
/// </summary>
public static class WebhookEndpoints
{
    public static IHostApplicationBuilder AddMetaWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<WebhookOptions>(WebhookOptions.Section);
        builder.Services.AddSingleton<WebhookReadSlots>();
        builder.Services.AddSingleton<InstagramAccountPages>();
        return builder;
    }

    public static IEndpointRouteBuilder MapMetaWebhooks(this IEndpointRouteBuilder endpoints)
    {
        var path = endpoints.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value.Path;
        endpoints.MapGet(path, Verify);
        endpoints.MapPost(path, ReceiveAsync);
        return endpoints;
    }

    /// <summary>The handshake Meta performs when the callback URL is saved.</summary>
    private static IResult Verify(HttpRequest request, IOptions<WebhookOptions> options)
    {
        var query = request.Query;
        var expected = options.Value.VerifyToken;
        var given = query["hub.verify_token"].ToString();
        if (query["hub.mode"] != "subscribe" || expected.Length == 0
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
        {
            return Results.Text("The verify token does not match Meta:Webhooks:VerifyToken.", statusCode: StatusCodes.Status403Forbidden);
        }
        return Results.Text(query["hub.challenge"].ToString(), "text/plain", Encoding.UTF8);
    }

    /// <summary>A delivery: refused at once when it cannot be Meta's (no app secret here, no well-formed signature), when
    /// it is too large, or when <see cref="WebhookOptions.MaxConcurrentDeliveries"/> are being read; otherwise read into a
    /// pooled buffer, checked, and its events handed to the spine, which refuses (503, Meta retries) only when one of the
    /// delivery's Pages has no room.</summary>
    private static async Task<IResult> ReceiveAsync(HttpContext context, IOptions<WebhookOptions> options, IOptions<MetaGraphOptions> meta,
        WebhookReadSlots slots, InstagramAccountPages instagramAccounts, InboxIntake intake, GatewayMetrics metrics, ILogger<WebhookReadSlots> logger)
    {
        var appSecret = meta.Value.AppSecret ?? "";
        var signature = context.Request.Headers[WebhookSignature.Header].ToString();
        // Nothing unsigned is ever published: no secret configured means no delivery is accepted.
        if (appSecret.Length == 0 || !WebhookSignature.IsWellFormed(signature))
        {
            return WrongSignature();
        }
        var limit = options.Value.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = limit;
        }
        if (!slots.TryTake())
        {
            context.Response.Headers.RetryAfter = "1";
            return Results.Text("Too many deliveries being read; retry later.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        try
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            patience.CancelAfter(options.Value.BodyReadTimeout);
            WebhookDelivery? read;
            try
            {
                read = await WebhookDelivery.ReadAsync(context.Request, limit, patience.Token);
            }
            catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return TooLarge(limit);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                return Results.Text($"The delivery's body took longer than {options.Value.BodyReadTimeout.TotalSeconds:0} s to arrive.",
                    statusCode: StatusCodes.Status408RequestTimeout);
            }
            if (read is null)
            {
                return TooLarge(limit);
            }
            using var delivery = read;
            if (!WebhookSignature.IsValid(delivery.Body.Span, signature, appSecret))
            {
                return WrongSignature();
            }
            List<InboxEvent> events;
            try
            {
                events = WebhookPayload.Parse(delivery.Body, instagramAccounts.PageOf, kind => Count(metrics, kind, "ignored"));
            }
            catch (JsonException)
            {
                // Signed by Meta yet not JSON: nothing to publish, and nothing a retry would fix.
                logger.LogWarning("A signed webhook delivery was not valid JSON.");
                Count(metrics, "malformed", "ignored");
                return Results.Text("EVENT_RECEIVED");
            }
            return intake.TryAccept(events)
                ? Results.Text("EVENT_RECEIVED")
                // Meta retries a non-2xx delivery later; that beats dropping it.
                : Results.Text("Too many events of one of this delivery's Pages waiting; retry later.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        finally
        {
            slots.Return();
        }
    }

    private static void Count(GatewayMetrics metrics, string kind, string outcome)
        => metrics.WebhookEvents.Add(1, new("kind", kind), new("outcome", outcome));

    private static IResult WrongSignature()
        => Results.Text($"Missing or wrong {WebhookSignature.Header}: it must be sha256=<hex HMAC-SHA256 of the body with the app secret>.",
            statusCode: StatusCodes.Status401Unauthorized);

    private static IResult TooLarge(long limit)
        => Results.Text($"The delivery is larger than {limit} bytes (Meta:Webhooks:MaxBodyBytes).", statusCode: StatusCodes.Status413PayloadTooLarge);
}
