using Gateway.Archive.Reads;
using Gateway.Telemetry;
using Gateway.Upstream;
using MetaGraph;

namespace Gateway.DataLoading;

/// <summary>
/// The loaders of one request for one access token, each created the first time it is asked for (as HotChocolate's
/// <c>context.DataLoader&lt;T&gt;()</c> does), from the factories the domain folders register with
/// <see cref="GraphLoaderRegistration.AddGraphLoader{TLoader}"/>. A set per token means nothing loaded with one Page's token
/// is ever served to a field resolved with another's.
/// </summary>
/// <param name="archive">The message archive as this token sees it; null when the gateway keeps no archive.</param>
public sealed class GraphLoaders(
    GovernedGraphClient client, string accessToken, ExecutionMode mode, GatewayMetrics metrics, GraphLoaderFactories factories, PageArchive? archive = null)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Type, object> _loaders = [];

    /// <summary>Parents carry their children's fields in their own call.</summary>
    public bool PushDown => mode == ExecutionMode.PushDown;

    public GovernedGraphClient Client => client;

    /// <summary>The Page these loaders read as: the one their token belongs to.</summary>
    public ValueTask<string> PageIdAsync(CancellationToken cancellationToken) => client.PageIdOfAsync(accessToken, cancellationToken);

    /// <summary>The token every loader of this set reads with.</summary>
    public string AccessToken => accessToken;

    /// <summary>The message archive as this token sees it (what reads give is recorded there, details past Meta's window
    /// come from it); null when the gateway keeps no archive.</summary>
    public PageArchive? Archive => archive;

    /// <summary>How a loader reading <paramref name="api"/> batches: one Graph request per batch, so never more keys than the
    /// Page's window of that API affords (the benchmark's naive mode: one key per request, nothing cached).</summary>
    public DataLoaderOptions OptionsFor(MetaApi api) => mode == ExecutionMode.Naive
        ? new DataLoaderOptions(metrics, Batching: false)
        : new DataLoaderOptions(metrics, MaxBatchSize: client.MaxItemsPerCall(api));

    public TLoader Get<TLoader>() where TLoader : class
    {
        lock (_gate)
        {
            if (!_loaders.TryGetValue(typeof(TLoader), out var loader))
            {
                // A factory may ask for the loaders it primes (this lock is re-entrant).
                loader = factories.Create<TLoader>(this);
                _loaders[typeof(TLoader)] = loader;
            }
            return (TLoader)loader;
        }
    }
}

/// <summary>How a domain's loader is made for a request's <see cref="GraphLoaders"/>.</summary>
public sealed record GraphLoaderFactory(Type LoaderType, Func<GraphLoaders, object> Create);

/// <summary>The registered loader factories, by loader type.</summary>
public sealed class GraphLoaderFactories(IEnumerable<GraphLoaderFactory> registered)
{
    private readonly Dictionary<Type, Func<GraphLoaders, object>> _byType = registered.ToDictionary(f => f.LoaderType, f => f.Create);

    public TLoader Create<TLoader>(GraphLoaders loaders) where TLoader : class
        => _byType.TryGetValue(typeof(TLoader), out var create)
            ? (TLoader)create(loaders)
            : throw new InvalidOperationException($"No loader {typeof(TLoader).Name} is registered: call AddGraphLoader for it.");
}

public static class GraphLoaderRegistration
{
    /// <summary>Registers how a loader is made; each request's <see cref="GraphLoaders"/> makes it when first asked.</summary>
    public static IServiceCollection AddGraphLoader<TLoader>(this IServiceCollection services, Func<GraphLoaders, TLoader> create) where TLoader : class
    {
        services.AddSingleton(new GraphLoaderFactory(typeof(TLoader), create));
        return services;
    }
}
