namespace Gateway.Tests.Infrastructure;

/// <summary>Waits for a condition that another process or thread makes true, checking it every few milliseconds: the
/// one way tests wait for something they cannot be told about. Fails with <c>what</c> when the time is up.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
        => await ValueAsync(() => Task.FromResult(condition() ? (bool?)true : null), timeout, what);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
        => await ValueAsync(async () => await condition() ? (bool?)true : null, timeout, what);

    /// <summary>The first non-null value <paramref name="probe"/> returns.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : struct
        => (T)await ObjectAsync<object>(async () => await probe(), timeout, what);

    /// <summary>The first non-null reference <paramref name="probe"/> returns.</summary>
    public static async Task<T> ObjectAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Waited {timeout.TotalSeconds:0} s for {what}.");
            await Task.Delay(Interval);
        }
    }
}
