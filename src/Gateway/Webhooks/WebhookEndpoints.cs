using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Webhooks;

/// <summary>
/// <c>GET|POST /webhooks/meta</c>: Meta's verification handshake, and signed deliveries accepted in milliseconds and
/// processed by <see cref="WebhookProcessor"/>.
/// </summary>
public static class WebhookEndpoints
{
    public static IHostApplicationBuilder AddMetaWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<WebhookOptions>(builder.Configuration.GetSection(WebhookOptions.Section));
        builder.Services.AddSingleton<WebhookQueue>();
        builder.Services.AddSingleton<WebhookReadSlots>();
        builder.Services.AddSingleton<PersonConversations>();
        builder.Services.AddHostedService<WebhookProcessor>();
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
    /// pooled buffer, checked, and queued for the processor.</summary>
    private static async Task<IResult> ReceiveAsync(
        HttpContext context, IOptions<WebhookOptions> options, IConfiguration configuration, WebhookQueue queue, WebhookReadSlots slots)
    {
        var appSecret = configuration["Meta:AppSecret"] ?? "";
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
        WebhookDelivery? delivery = null;
        try
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            patience.CancelAfter(options.Value.BodyReadTimeout);
            try
            {
                delivery = await WebhookDelivery.ReadAsync(context.Request, limit, patience.Token);
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
            if (delivery is null)
            {
                return TooLarge(limit);
            }
            if (!WebhookSignature.IsValid(delivery.Body.Span, signature, appSecret))
            {
                return WrongSignature();
            }
            if (!queue.TryEnqueue(delivery))
            {
                // Meta retries a non-2xx delivery later; that beats dropping it.
                return Results.Text("Too many deliveries waiting; retry later.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            // The processor returns the buffer now.
            delivery = null;
            return Results.Text("EVENT_RECEIVED");
        }
        finally
        {
            delivery?.Dispose();
            slots.Return();
        }
    }

    private static IResult WrongSignature()
        => Results.Text($"Missing or wrong {WebhookSignature.Header}: it must be sha256=<hex HMAC-SHA256 of the body with the app secret>.",
            statusCode: StatusCodes.Status401Unauthorized);

    private static IResult TooLarge(long limit)
        => Results.Text($"The delivery is larger than {limit} bytes (Meta:Webhooks:MaxBodyBytes).", statusCode: StatusCodes.Status413PayloadTooLarge);
}
