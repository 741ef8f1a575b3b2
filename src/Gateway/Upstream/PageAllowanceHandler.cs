using MetaGraph;

namespace Gateway.Upstream;

/// <summary>
/// Spends the Page's allowance for every HTTP attempt, retries included: it sits inside the resilience pipeline, so a
/// retried call is priced again (as Meta prices it) and an open circuit fails before anything waits for a turn.
/// The Page is the one <see cref="GovernedGraphClient"/> is calling for.
/// </summary>
public sealed class PageAllowanceHandler(PageCallGovernor governor) : DelegatingHandler
{
    private static readonly AsyncLocal<(string PageId, CallPriority Priority)?> Current = new();

    /// <summary>Calls made by the current async flow until the scope is disposed are charged to <paramref name="pageId"/>,
    /// at <paramref name="priority"/>.</summary>
    public static IDisposable ChargeTo(string pageId, CallPriority priority)
    {
        var previous = Current.Value;
        Current.Value = (pageId, priority);
        return new Restore(previous);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Current.Value is not { } charge)
        {
            return await base.SendAsync(request, cancellationToken);
        }
        var (pageId, priority) = charge;
        var calls = request.Options.TryGetValue(MetaGraphClient.MetaCallsOption, out var priced) ? priced : 1;
        var api = request.Options.TryGetValue(MetaGraphClient.MetaApiOption, out var of) ? of : MetaApi.Conversations;
        using var call = await governor.AcquireAsync(pageId, api, calls, priority, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }

    private sealed class Restore((string, CallPriority)? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
