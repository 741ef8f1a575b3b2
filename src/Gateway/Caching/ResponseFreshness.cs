namespace Gateway.Caching;

/// <summary>Why part of an answer may be out of date.</summary>
public enum StaleReason
{
    /// <summary>A webhook said it changed; it was served while its refresh runs (<see cref="GraphCacheOptions.RefreshWait"/>).</summary>
    Refreshing,
    /// <summary>Served past its lifetime because Graph was rate-limited or down.</summary>
    UpstreamUnavailable,
}

/// <summary>How old the cached Graph answers behind one GraphQL response are, when any may be out of date, and what the
/// response was made of: the tags of those answers, the oldest of them and the first to expire, so that the
/// <see cref="ResponseCache"/> can keep the response exactly as long as they would be served. One per request.</summary>
public sealed class ResponseFreshness
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _tags = new(StringComparer.Ordinal);

    /// <summary>Answers asked before this are not good enough: an inbox event being resolved must be described as of
    /// the event, so its reads wait for a refresh rather than take the answer from before it.</summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>Age of the oldest answer that may be out of date, if any.</summary>
    public TimeSpan? StaleAge { get; private set; }

    /// <summary>Why: a refresh after an invalidation outranks an outage only when no outage is involved.</summary>
    public StaleReason? Reason { get; private set; }

    /// <summary>False once the response read anything the Graph cache's tags do not describe (the archive, a batch, an
    /// uncached read): no webhook would say when it changed, so it must not be kept.</summary>
    public bool Replayable { get; private set; } = true;

    /// <summary>When the oldest cached answer behind the response was asked of Graph, if any was used.</summary>
    public DateTimeOffset? OldestAnswer { get; private set; }

    /// <summary>When the first of those answers stops being served as it is, if any was used.</summary>
    public DateTimeOffset? ValidUntil { get; private set; }

    /// <summary>The tags of every cached answer behind the response.</summary>
    public IReadOnlyList<string> Tags
    {
        get
        {
            lock (_gate)
            {
                return [.. _tags];
            }
        }
    }

    /// <summary>The response read something that no tag describes.</summary>
    public void Untracked()
    {
        lock (_gate)
        {
            Replayable = false;
        }
    }

    /// <summary>Part of the response stops being true at <paramref name="moment"/> (a messaging window closes).</summary>
    public void ChangesAt(DateTimeOffset moment)
    {
        lock (_gate)
        {
            ValidUntil = ValidUntil is { } known && known < moment ? known : moment;
        }
    }

    /// <param name="tags">What the answer holds, as webhooks invalidate it.</param>
    /// <param name="validUntil">When the answer stops being served as it is (its lifetime, or a signed URL in it expires).</param>
    /// <param name="invalidatedAt">When a webhook last invalidated what the answer holds, if it did.</param>
    /// <param name="refreshFailedAt">When a refresh of this answer last failed, if one did.</param>
    public void Saw(IReadOnlyList<string> tags, DateTimeOffset fetchedAt, DateTimeOffset validUntil, DateTimeOffset now,
        DateTimeOffset? invalidatedAt, DateTimeOffset? refreshFailedAt)
    {
        var age = now - fetchedAt;
        // Only fail-safe serves an answer past its lifetime, or after its refresh failed.
        var reason = now > validUntil || refreshFailedAt > fetchedAt ? StaleReason.UpstreamUnavailable
            : invalidatedAt > fetchedAt ? StaleReason.Refreshing
            : (StaleReason?)null;
        lock (_gate)
        {
            _tags.UnionWith(tags);
            OldestAnswer = OldestAnswer is { } oldest && oldest < fetchedAt ? oldest : fetchedAt;
            ValidUntil = ValidUntil is { } known && known < validUntil ? known : validUntil;
            if (reason is null)
            {
                return;
            }
            StaleAge = StaleAge is { } stale && stale > age ? stale : age;
            Reason = Reason == StaleReason.UpstreamUnavailable ? Reason : reason;
        }
    }
}
