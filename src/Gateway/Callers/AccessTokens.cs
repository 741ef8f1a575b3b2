using System.Security.Claims;
using Gateway.Api;
using Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace Gateway.Callers;

/// <summary>
/// Which Page access token a request uses. Without caller authentication, the one the client forwards in
/// <c>Authorization: Bearer</c>, else the one configured for the Page. With it (managed mode), only configured tokens,
/// and only for the Pages the caller's identity allows. The token is only ever handed to the Graph API client.
/// </summary>
public sealed class AccessTokens(
    CallerCredentials caller, IOptions<ManagedPagesOptions> managedPages, IOptions<CallerAuthenticationOptions> callers)
{
    public string ForPage(string pageId)
    {
        if (callers.Value.Required && !Caller().AllowedPages().Contains(pageId))
        {
            throw new GatewayError("META_PERMISSION_DENIED", $"This caller may not read Page {pageId}.");
        }
        return Forwarded() ?? (managedPages.Value.Pages.TryGetValue(pageId, out var page) && page.AccessToken.Length > 0
            ? page.AccessToken
            : throw Missing($"No access token for Page {pageId}: send `Authorization: Bearer <page access token>` or configure `Meta:Pages:{pageId}:AccessToken`."));
    }

    /// <summary>The token to send as <paramref name="pageId"/> with. With caller authentication the caller needs the Page's
    /// send permission besides read access; without it, whoever may read a Page may send as it, and a forwarded Page token
    /// may always try (Meta decides).</summary>
    public string ForSending(string pageId)
    {
        if (callers.Value.Required && !Caller().SendPages().Contains(pageId))
        {
            throw new GatewayError("FORBIDDEN", $"This caller may not send as Page {pageId}: give its API key `SendPages` " +
                $"(Gateway:Auth:ApiKeys:<name>:SendPages) or its JWT the scope `send:{pageId}`.");
        }
        return ForPage(pageId);
    }

    public string ForNode()
    {
        if (Forwarded() is { } forwarded)
        {
            return forwarded;
        }
        var allowed = callers.Value.Required ? Caller().AllowedPages() : null;
        var pages = managedPages.Value.Pages.Where(page => page.Value.AccessToken.Length > 0 && (allowed is null || allowed.Contains(page.Key))).ToList();
        return pages.Count == 1
            ? pages[0].Value.AccessToken
            : throw Missing("Reading a conversation or message by id needs exactly one Page to read it with: send that Page's token as `Authorization: Bearer`, or use an identity allowed one Page.");
    }

    private ClaimsPrincipal Caller() => caller.User;

    /// <summary>In managed mode the bearer token authenticates the caller; it is never a Page token.</summary>
    private string? Forwarded()
    {
        if (callers.Value.Required)
        {
            return null;
        }
        var header = caller.Authorization;
        var token = header is { Length: > 7 } && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        return token.Length > 0 ? token : null;
    }

    private static GatewayError Missing(string message) => new("META_TOKEN_MISSING", message);
}
