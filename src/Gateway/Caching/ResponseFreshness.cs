namespace Gateway.Caching;

/// <summary>Why part of an answer may be out of date.</summary>
public enum StaleReason
{
    /// <summary>A webhook said it changed; it was served while its refresh runs (<see cref="GraphCacheOptions.RefreshWait"/>).</summary>
    Refreshing,
    /// <summary>Served past its lifetime because Graph was rate-limited or down.</summary>
    UpstreamUnavailable,
}

/// <summary>How old the cached Graph answers behind one GraphQL response are, when any may be out of date. One per request.</summary>
public sealed class ResponseFreshness
{
    private readonly Lock _gate = new();

    /// <summary>Answers asked before this are not good enough: an inbox event being resolved must be described as of
    /// the event, so its reads wait for a refresh rather than take the answer from before it.</summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>Age of the oldest answer that may be out of date, if any.</summary>
    public TimeSpan? StaleAge { get; private set; }

    /// <summary>Why: a refresh after an invalidation outranks an outage only when no outage is involved.</summary>
    public StaleReason? Reason { get; private set; }

    /// <param name="invalidatedAt">When a webhook last invalidated what the answer holds, if it did.</param>
    /// <param name="refreshFailedAt">When a refresh of this answer last failed, if one did.</param>
    public void Saw(DateTimeOffset fetchedAt, TimeSpan lifetime, DateTimeOffset now, DateTimeOffset? invalidatedAt, DateTimeOffset? refreshFailedAt)
    {
        var age = now - fetchedAt;
        // Only fail-safe serves an answer past its lifetime, or after its refresh failed.
        var reason = age > lifetime || refreshFailedAt > fetchedAt ? StaleReason.UpstreamUnavailable
            : invalidatedAt > fetchedAt ? StaleReason.Refreshing
            : (StaleReason?)null;
        if (reason is null)
        {
            return;
        }
        lock (_gate)
        {
            StaleAge = StaleAge is { } known && known > age ? known : age;
            Reason = Reason == StaleReason.UpstreamUnavailable ? Reason : reason;
        }
    }
}
