namespace Gateway.Caching;

/// <summary>How old the cached Graph answers behind one GraphQL response are. One per request.</summary>
public sealed class ResponseFreshness
{
    private readonly Lock _gate = new();

    /// <summary>Age of the oldest answer served past its lifetime (Graph was rate-limited or down), if any.</summary>
    public TimeSpan? StaleAge { get; private set; }

    public void Saw(DateTimeOffset fetchedAt, TimeSpan lifetime, DateTimeOffset now)
    {
        var age = now - fetchedAt;
        if (age <= lifetime)
        {
            return;
        }
        lock (_gate)
        {
            StaleAge = StaleAge is { } known && known > age ? known : age;
        }
    }
}
