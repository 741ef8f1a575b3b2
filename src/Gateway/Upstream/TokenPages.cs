using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.Upstream;

/// <summary>The Page a token reads, and who may share the answers it gets: every caller of a Page whose token the
/// server holds (managed or server-side tokens authorise them), else only the holder of this very token.</summary>
public sealed record TokenPage(string PageId, string CacheScope);

/// <summary>
/// The Page each access token belongs to, so every call is charged to the Page Meta charges it to, whichever of the
/// Page's tokens makes it. Configured tokens are known; a forwarded token is asked once with <c>GET /me</c> (not a
/// conversations call, so it spends no Page's allowance) and remembered by a hash, never by the token itself.
/// </summary>
public sealed class TokenPages(IMetaGraphClient graph, IOptions<ManagedPagesOptions> managedPages)
{
    private const int MaxRemembered = 10_000;
    private static readonly FieldList IdOnly = FieldList.Of("id");

    private readonly Lazy<Dictionary<string, TokenPage>> _configured = new(() => managedPages.Value.Pages
        .Where(page => page.Value.AccessToken.Length > 0)
        .GroupBy(page => page.Value.AccessToken, StringComparer.Ordinal)
        .ToDictionary(group => group.Key, group => new TokenPage(group.First().Key, "page:" + group.First().Key), StringComparer.Ordinal));

    private readonly ConcurrentDictionary<string, TokenPage> _learned = new(StringComparer.Ordinal);

    public async ValueTask<TokenPage> PageOfAsync(string accessToken, CancellationToken cancellationToken)
    {
        if (_configured.Value.TryGetValue(accessToken, out var configured))
        {
            return configured;
        }
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(accessToken)));
        if (_learned.TryGetValue(key, out var learned))
        {
            return learned;
        }
        var me = await graph.GetNodeAsync<Participant>(accessToken, "me", IdOnly, cancellationToken);
        if (_learned.Count >= MaxRemembered)
        {
            _learned.Clear();
        }
        return _learned[key] = new TokenPage(me.Value.Id, "token:" + key);
    }
}
