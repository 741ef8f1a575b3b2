namespace Gateway.Api;

/// <summary>A subscription's source stream from an async sequence (GraphQL.NET takes observables): each subscriber enumerates
/// it anew, and unsubscribing cancels the enumeration.</summary>
public sealed class AsyncEnumerableObservable<T>(Func<CancellationToken, IAsyncEnumerable<T>> sequence) : IObservable<object?>
{
    public IDisposable Subscribe(IObserver<object?> observer)
    {
        var subscription = new CancellationTokenSource();
        _ = ForwardAsync(observer, subscription.Token);
        return new Unsubscriber(subscription);
    }

    private async Task ForwardAsync(IObserver<object?> observer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in sequence(cancellationToken).WithCancellation(cancellationToken))
            {
                observer.OnNext(item);
            }
            observer.OnCompleted();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            observer.OnError(error);
        }
    }

    /// <summary>Cancels the enumeration; the source is not disposed, since the enumeration may still be observing its token.</summary>
    private sealed class Unsubscriber(CancellationTokenSource subscription) : IDisposable
    {
        public void Dispose() => subscription.Cancel();
    }
}
