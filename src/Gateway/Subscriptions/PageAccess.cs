using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Gateway.Api;
using Gateway.Callers;
using Gateway.Upstream;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.Subscriptions;

/// <summary>
/// Before a subscription starts, the subscriber proves it may read the Page, by the rules queries follow
/// (<see cref="AccessTokens"/>). A query proves it by Graph answering; a subscription would otherwise receive events
/// without ever calling Graph, so a forwarded token that is not the Page's configured one is checked with one cheap
/// call (<c>/{page}/conversations?limit=1&amp;fields=id</c>) and remembered for a while.
/// </summary>
public sealed class PageAccess(AccessTokens tokens, GovernedGraphClient client, IOptions<ManagedPagesOptions> pages, VerifiedPageTokens verified)
{
    public async Task EnsureAsync(string pageId, Platform? platform, CancellationToken cancellationToken)
    {
        var token = tokens.ForPage(pageId);
        if (pages.Value.Pages.TryGetValue(pageId, out var page) && page.AccessToken.Length > 0
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(page.AccessToken), Encoding.UTF8.GetBytes(token)))
        {
            return;
        }
        if (verified.Contains(pageId, token))
        {
            return;
        }
        try
        {
            await client.GetConversationsAsync(token, pageId,
                new ConversationsQuery(platform ?? Platform.Messenger, Limit: 1, Fields: FieldList.Of("id")), cancellationToken);
        }
        catch (GraphApiException error)
        {
            throw GatewayError.FromGraph(error);
        }
        verified.Add(pageId, token);
    }
}

/// <summary>Forwarded tokens Graph accepted for a Page, kept by hash (never the token itself) for a few minutes.</summary>
public sealed class VerifiedPageTokens(TimeProvider time)
{
    private const int Capacity = 10_000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    public bool Contains(string pageId, string token)
        => _expiries.TryGetValue(Key(pageId, token), out var expiry) && expiry > time.GetUtcNow();

    public void Add(string pageId, string token)
    {
        var now = time.GetUtcNow();
        if (_expiries.Count >= Capacity)
        {
            foreach (var (key, expiry) in _expiries)
            {
                if (expiry <= now)
                {
                    _expiries.TryRemove(key, out _);
                }
            }
        }
        if (_expiries.Count < Capacity)
        {
            _expiries[Key(pageId, token)] = now + Lifetime;
        }
    }

    private static string Key(string pageId, string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(pageId + "\n" + token)));
}
