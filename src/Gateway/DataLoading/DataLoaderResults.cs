using GraphQL.DataLoader;

namespace Gateway.DataLoading;

public static class DataLoaderResults
{
    /// <summary>A result that is already known, for resolvers that only sometimes need a loader.</summary>
    public static IDataLoaderResult<T> FromValue<T>(T value) => new CompletedResult<T>(value);

    /// <summary>Maps a pending result without dispatching it early.</summary>
    public static IDataLoaderResult<TResult> Then<T, TResult>(this IDataLoaderResult<T> result, Func<T, TResult> map)
        => new MappedResult<T, TResult>(result, map);

    private sealed class CompletedResult<T>(T value) : IDataLoaderResult<T>
    {
        public Task<T> GetResultAsync(CancellationToken cancellationToken = default) => Task.FromResult(value);

        Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => Task.FromResult<object?>(value);
    }

    private sealed class MappedResult<T, TResult>(IDataLoaderResult<T> inner, Func<T, TResult> map) : IDataLoaderResult<TResult>
    {
        public async Task<TResult> GetResultAsync(CancellationToken cancellationToken = default)
            => map(await inner.GetResultAsync(cancellationToken));

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken)
            => await GetResultAsync(cancellationToken);
    }
}
