using System.Security.Claims;

namespace Gateway.Callers;

/// <summary>
/// Who is asking, for the operation being resolved: the HTTP request's caller, or, when a subscription event is resolved
/// outside any request, the subscriber who proved access when subscribing.
/// </summary>
public sealed class CallerCredentials(IHttpContextAccessor httpContextAccessor)
{
    private SubscriberCredentials? _subscriber;

    /// <summary>The authenticated caller (managed mode), or an anonymous principal.</summary>
    public ClaimsPrincipal User => _subscriber?.User ?? httpContextAccessor.HttpContext?.User ?? new ClaimsPrincipal();

    /// <summary>The <c>Authorization</c> header value as given (e.g. <c>Bearer ...</c>), if any.</summary>
    public string? Authorization => _subscriber is { } subscriber
        ? subscriber.Authorization
        : httpContextAccessor.HttpContext?.Request.Headers.Authorization.ToString();

    /// <summary>Resolves this scope's fields as the subscriber.</summary>
    public void UseSubscriber(SubscriberCredentials subscriber) => _subscriber = subscriber;
}

/// <summary>A subscriber's credentials, kept for the life of its subscription.</summary>
public sealed record SubscriberCredentials(ClaimsPrincipal User, string? Authorization);
