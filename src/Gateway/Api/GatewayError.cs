using GraphQL;
using MetaGraph;

namespace Gateway.Api;

/// <summary>A GraphQL error with a stable <c>extensions.code</c>; the message is safe to show to any client.</summary>
public sealed class GatewayError : ExecutionError
{
    public GatewayError(string code, string message, IReadOnlyDictionary<string, object?>? extensions = null)
        : base(message)
    {
        Code = code;
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                this.AddExtension(key, value);
            }
        }
    }

    /// <summary>Meta's allowance is spent, or would be: Meta said so, or the gateway refused before calling.</summary>
    public const string RateLimitedCode = "META_RATE_LIMITED";

    /// <summary>Refused before anything was sent, with <c>extensions.retryAfter</c>: when to try again, in whole seconds.</summary>
    public static GatewayError RateLimited(TimeSpan retryAfter, string message)
        => new(RateLimitedCode, message, new Dictionary<string, object?> { ["retryAfter"] = RetryAfterSeconds(retryAfter) });

    /// <summary>A wait as <c>retryAfter</c> says it: whole seconds, rounded up, at least one.</summary>
    public static int RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    /// <summary>The same error for another field.</summary>
    public GatewayError Copy() => new(Code!, Message, Extensions);

    /// <summary>Maps a Graph API error onto the gateway's codes, keeping Meta's message and trace id for support
    /// requests. Meta's messages never contain the access token.</summary>
    public static GatewayError FromGraph(GraphApiException error)
    {
        var code = error switch
        {
            { IsRateLimit: true } => RateLimitedCode,
            { IsTokenMissing: true } => "META_TOKEN_MISSING",
            { IsAuth: true } => "META_TOKEN_INVALID",
            { IsPermission: true } => "META_PERMISSION_DENIED",
            { IsNotFound: true } => "META_NOT_FOUND",
            { IsRequestRejected: true } => "UPSTREAM_REQUEST_REJECTED",
            { IsTransient: true } => "UPSTREAM_UNAVAILABLE",
            { Code: 100 } => "META_INVALID_REQUEST",
            _ => "META_ERROR",
        };
        var extensions = new Dictionary<string, object?>
        {
            ["metaCode"] = error.Code,
            ["metaSubcode"] = error.Subcode,
            ["fbtraceId"] = error.FbTraceId,
        };
        if (error.IsRequestRejected)
        {
            extensions["httpStatus"] = error.HttpStatus;
            return new GatewayError(code, $"The Graph API refused the request as sent (HTTP {error.HttpStatus}), which usually means an " +
                "oversized access token; check the `Authorization` header. Retrying it will not help.", extensions);
        }
        return new GatewayError(code, error.Message, extensions);
    }
}
