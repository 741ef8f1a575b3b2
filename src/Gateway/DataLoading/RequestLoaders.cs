using Gateway.Archive.Reads;
using Gateway.Caching;
using Gateway.Callers;
using Gateway.Telemetry;
using Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace Gateway.DataLoading;

/// <summary>The request's loaders, one set per access token the request uses.</summary>
/// <param name="archives">The message archive, when the gateway keeps one.</param>
public sealed class RequestLoaders(GovernedGraphClient client, AccessTokens accessTokens, IOptions<GatewayOptions> options, GatewayMetrics metrics,
    GraphLoaderFactories factories, ResponseFreshness freshness, PageArchives? archives = null)
{
    private readonly Dictionary<string, GraphLoaders> _byToken = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Loaders for reading a Page's inbox.</summary>
    public GraphLoaders ForPage(string pageId) => For(accessTokens.ForPage(pageId));

    /// <summary>Loaders for reading a conversation or message by id.</summary>
    public GraphLoaders ForNode() => For(accessTokens.ForNode());

    private GraphLoaders For(string accessToken)
    {
        lock (_gate)
        {
            if (!_byToken.TryGetValue(accessToken, out var loaders))
            {
                loaders = new GraphLoaders(client, accessToken, options.Value.Mode, metrics, factories, archives?.For(accessToken, freshness));
                _byToken[accessToken] = loaders;
            }
            return loaders;
        }
    }
}
