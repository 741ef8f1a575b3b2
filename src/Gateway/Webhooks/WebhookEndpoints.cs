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

    private static async Task<IResult> ReceiveAsync(HttpContext context, IOptions<WebhookOptions> options, IConfiguration configuration, WebhookQueue queue)
    {
        var limit = options.Value.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = limit;
        }
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        // Nothing unsigned is ever published: no secret configured means no delivery is accepted.
        if (!WebhookSignature.IsValid(body, context.Request.Headers[WebhookSignature.Header], configuration["Meta:AppSecret"] ?? ""))
        {
            return Results.Text($"Missing or wrong {WebhookSignature.Header}: it must be sha256=<hex HMAC-SHA256 of the body with the app secret>.",
                statusCode: StatusCodes.Status401Unauthorized);
        }
        if (!queue.TryEnqueue(body))
        {
            // Meta retries a non-2xx delivery later; that beats dropping it.
            return Results.Text("Too many deliveries waiting; retry later.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return Results.Text("EVENT_RECEIVED");
    }

    private static IResult TooLarge(long limit)
        => Results.Text($"The delivery is larger than {limit} bytes (Meta:Webhooks:MaxBodyBytes).", statusCode: StatusCodes.Status413PayloadTooLarge);
}
