using Gateway.Api;
using Gateway.Telemetry;
using GraphQL.DataLoader;

namespace Gateway.DataLoading;

/// <summary>
/// A per-request batching loader. <see cref="Load"/> only records the key and returns a pending
/// <see cref="IDataLoaderResult{T}"/>; GraphQL.NET's execution strategy resolves those results once it has
/// drained the current level, and the first one to be awaited dispatches every key recorded so far, split into
/// batches of at most <see cref="DataLoaderOptions.MaxBatchSize"/>. Equal keys are loaded once and cached for the request.
/// An error for one key fails that key only; a failing batch fails the keys of that batch only.
/// </summary>
public abstract class BatchLoader<TKey, TValue> where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, TaskCompletionSource<TValue>> _cache = [];
    private List<KeyValuePair<TKey, TaskCompletionSource<TValue>>> _pending = [];

    protected BatchLoader(DataLoaderOptions options) => Options = options;

    protected DataLoaderOptions Options { get; }

    public IDataLoaderResult<TValue> Load(TKey key)
    {
        lock (_gate)
        {
            if (Options.Caching && _cache.TryGetValue(key, out var cached))
            {
                Options.Metrics.CacheHits.Add(1, new KeyValuePair<string, object?>("loader", GetType().Name));
                return new PendingResult(this, cached);
            }
            var completion = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Options.Caching)
            {
                _cache[key] = completion;
            }
            _pending.Add(new(key, completion));
            return new PendingResult(this, completion);
        }
    }

    /// <summary>Fetches one batch (at most <see cref="DataLoaderOptions.MaxBatchSize"/> distinct keys, or one key when batching is off).
    /// Report each key's outcome through <paramref name="results"/>; keys left unreported fail.</summary>
    protected abstract Task FetchAsync(IReadOnlyList<TKey> keys, BatchResults<TKey, TValue> results, CancellationToken cancellationToken);

    private Task DispatchPendingAsync(CancellationToken cancellationToken)
    {
        List<KeyValuePair<TKey, TaskCompletionSource<TValue>>> pending;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return Task.CompletedTask;
            }
            pending = _pending;
            _pending = [];
        }
        var batchSize = Options.Batching ? Options.MaxBatchSize : 1;
        return Task.WhenAll(pending.Chunk(batchSize).Select(batch => FetchBatchAsync(batch, cancellationToken)));
    }

    private async Task FetchBatchAsync(KeyValuePair<TKey, TaskCompletionSource<TValue>>[] batch, CancellationToken cancellationToken)
    {
        Options.Metrics.BatchSize.Record(batch.Length, new KeyValuePair<string, object?>("loader", GetType().Name));
        var results = new BatchResults<TKey, TValue>();
        try
        {
            await FetchAsync(batch.Select(entry => entry.Key).ToArray(), results, cancellationToken);
        }
        catch (Exception exception)
        {
            foreach (var (_, completion) in batch)
            {
                completion.TrySetException(exception);
            }
            return;
        }
        foreach (var (key, completion) in batch)
        {
            results.CompleteEntry(key, completion);
        }
    }

    private sealed class PendingResult(BatchLoader<TKey, TValue> loader, TaskCompletionSource<TValue> completion)
        : IDataLoaderResult<TValue>
    {
        public async Task<TValue> GetResultAsync(CancellationToken cancellationToken = default)
        {
            if (!completion.Task.IsCompleted)
            {
                await loader.DispatchPendingAsync(cancellationToken);
            }
            try
            {
                return await completion.Task.WaitAsync(cancellationToken);
            }
            catch (GatewayError shared)
            {
                // One failure of a batch (or of a cached key) reaches many fields; the executor writes each field's
                // path and location into the error it is given, so each field gets its own.
                throw shared.Copy();
            }
        }

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken)
            => await GetResultAsync(cancellationToken);
    }
}

/// <summary>How a request's loaders behave; the benchmark's naive mode turns batching and caching off.</summary>
/// <param name="MaxBatchSize">Keys per batch: one Graph request each, so no more than the Page's window can afford
/// (see <see cref="Upstream.GovernedGraphClient.MaxItemsPerCall"/> of its API) and never more than Graph's 50.</param>
/// <param name="Metrics">Where batch sizes and cache hits are counted.</param>
public sealed record DataLoaderOptions(GatewayMetrics Metrics, bool Batching = true, bool Caching = true, int MaxBatchSize = MetaGraph.MetaGraphClient.MaxIdsPerCall);

/// <summary>The outcome of each key of one batch.</summary>
public sealed class BatchResults<TKey, TValue> where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _values = [];
    private readonly Dictionary<TKey, Exception> _errors = [];

    public void Set(TKey key, TValue value) => _values[key] = value;

    public void Fail(TKey key, Exception error) => _errors[key] = error;

    internal void CompleteEntry(TKey key, TaskCompletionSource<TValue> completion)
    {
        if (_errors.TryGetValue(key, out var error))
        {
            completion.TrySetException(error);
        }
        else if (_values.TryGetValue(key, out var value))
        {
            completion.TrySetResult(value);
        }
        else
        {
            completion.TrySetException(new InvalidOperationException($"The loader returned no result for a key of type {typeof(TKey).Name}."));
        }
    }
}
