using MetaGraph;

namespace Gateway.Upstream;

/// <summary>
/// The window of a Page's calls that all instances share, consulted after this instance's own (see
/// <see cref="PageCallGovernor"/>): in Redis when several instances run, a no-op for one.
/// </summary>
public interface ISharedPageWindow
{
    /// <summary>Records <paramref name="calls"/> calls of the Page to <paramref name="api"/>: a member when recorded (it
    /// marks the call answered later), else how long to wait; or neither when the shared window cannot be reached, and the
    /// instance's own window is all that governs meanwhile.</summary>
    Task<(string? Member, TimeSpan Wait)> TryAcquireAsync(string pageId, MetaApi api, int calls, int limit, TimeSpan window);

    /// <summary>The call's answer arrived: it holds its place a window from now.</summary>
    Task AnsweredAsync(string pageId, MetaApi api, string member);
}

/// <summary>One instance: its own window is the whole truth.</summary>
public sealed class LocalPageWindow : ISharedPageWindow
{
    public Task<(string? Member, TimeSpan Wait)> TryAcquireAsync(string pageId, MetaApi api, int calls, int limit, TimeSpan window)
        => Task.FromResult<(string?, TimeSpan)>((null, TimeSpan.Zero));

    public Task AnsweredAsync(string pageId, MetaApi api, string member) => Task.CompletedTask;
}
