using Gateway.Schema;
using Microsoft.Extensions.Options;

namespace Gateway.Meta;

/// <summary>Page access tokens configured on the server (<c>Meta:Pages:&lt;pageId&gt;:AccessToken</c>).</summary>
public sealed class ManagedPagesOptions
{
    public Dictionary<string, ManagedPage> Pages { get; set; } = [];
}

public sealed class ManagedPage
{
    public string AccessToken { get; set; } = "";
}

/// <summary>
/// Which Page access token a request uses: the one the client forwards in <c>Authorization: Bearer</c>, else the one
/// configured for the Page. The token is only ever handed to the Graph API client.
/// </summary>
public sealed class AccessTokens(IHttpContextAccessor httpContextAccessor, IOptions<ManagedPagesOptions> managedPages)
{
    public string ForPage(string pageId)
        => Forwarded() ?? (managedPages.Value.Pages.TryGetValue(pageId, out var page) && page.AccessToken.Length > 0
            ? page.AccessToken
            : throw Missing($"No access token for Page {pageId}: send `Authorization: Bearer <page access token>` or configure `Meta:Pages:{pageId}:AccessToken`."));

    public string ForNode()
    {
        if (Forwarded() is { } forwarded)
        {
            return forwarded;
        }
        var pages = managedPages.Value.Pages.Values.Where(page => page.AccessToken.Length > 0).ToList();
        return pages.Count == 1
            ? pages[0].AccessToken
            : throw Missing("Reading a conversation or message by id needs the Page's token: send `Authorization: Bearer <page access token>`.");
    }

    private string? Forwarded()
    {
        var header = httpContextAccessor.HttpContext?.Request.Headers.Authorization.ToString();
        return header is { Length: > 7 } && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header[7..].Trim()
            : null;
    }

    private static GatewayError Missing(string message) => new("META_TOKEN_MISSING", message);
}
