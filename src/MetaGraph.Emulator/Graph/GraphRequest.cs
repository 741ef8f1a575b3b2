using MetaGraph.Emulator.Data;

namespace MetaGraph.Emulator.Graph;

/// <summary>One authenticated Graph API read, direct or a batch item: the path after the version, its parameters,
/// and the Page whose token it carries.</summary>
internal sealed class GraphRequest(string versionRoot, string path, IQueryCollection query, string token, PageData page, EmulatorOptions options)
{
    /// <summary>The absolute versioned root that paging links start with, e.g. <c>http://127.0.0.1:5090/v25.0/</c>.</summary>
    public string VersionRoot { get; } = versionRoot;

    /// <summary>The path after the version, without leading slash: <c>t_1/messages</c>; empty for <c>?ids=</c>.</summary>
    public string Path { get; } = path;

    public IQueryCollection Query { get; } = query;

    public string Token { get; } = token;

    public PageData Page { get; } = page;

    public EmulatorOptions Options { get; } = options;

    public string? this[string name] => Query.TryGetValue(name, out var value) ? value.ToString() : null;
}
