using System.Text.RegularExpressions;

namespace MetaGraph.Emulator.Diagnostics;

/// <summary>Every Graph API request served, with access tokens redacted, for tests and benchmarks to count calls. Thread-safe.</summary>
internal sealed partial class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private int _abandoned;

    /// <summary>Graph requests whose caller went away before the answer was sent.</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    public void AddAbandoned() => Interlocked.Increment(ref _abandoned);

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate)
        {
            return _requests.ToArray();
        }
    }

    public void Add(string method, string path, string? query, IReadOnlyList<string>? batch, DateTimeOffset at)
    {
        var request = new RecordedRequest(method, path, Redact(query ?? ""), batch?.Select(Redact).ToArray(), at);
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
            _abandoned = 0;
        }
    }

    /// <summary>The query with each <c>access_token</c> value replaced by <c>***</c>.</summary>
    public static string Redact(string query) => query.Contains("access_token", StringComparison.Ordinal) ? TokenValue().Replace(query, "$1***") : query;

    [GeneratedRegex(@"((?:^|[?&])access_token=)[^&]*")]
    private static partial Regex TokenValue();
}
