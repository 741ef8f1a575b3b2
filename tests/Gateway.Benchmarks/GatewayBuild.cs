namespace Gateway.Benchmarks;

/// <summary>
/// The gateway as built at another git ref, for <c>--compare</c>: checked out in a temporary worktree (<c>git worktree
/// add --detach</c>) under the system temp directory, built in Release there, and removed with its worktree afterwards,
/// so that the repository's own checkout is never touched.
/// </summary>
public sealed class GatewayBuild : IAsyncDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    private readonly string _worktree;

    private GatewayBuild(string name, string worktree)
    {
        Name = name;
        _worktree = worktree;
    }

    /// <summary>The ref as asked for and the commit it names, e.g. <c>b669022</c> or <c>main (4e57a1f)</c>.</summary>
    public string Name { get; }

    /// <summary>The source tree this build was made from.</summary>
    public string SourceRoot => _worktree;

    /// <summary>The built <c>Gateway.dll</c>.</summary>
    public string Assembly => Path.Combine(_worktree, "out", "Gateway.dll");

    public static async Task<GatewayBuild> AtAsync(string reference)
    {
        var commit = await GitAsync("rev-parse", "--short", "--verify", reference + "^{commit}");
        var worktree = Path.Combine(Path.GetTempPath(), $"gateway-compare-{commit}-{Guid.NewGuid():N}");
        await GitAsync("worktree", "add", "--detach", worktree, commit);
        var build = new GatewayBuild(reference.StartsWith(commit, StringComparison.Ordinal) ? commit : $"{reference} ({commit})", worktree);
        try
        {
            Console.Error.WriteLine($"Building the gateway at {build.Name} in {worktree} …");
            await ChildProcesses.RunToEndAsync("dotnet", ["build", "-c", "Release", "src/Gateway", "-o", Path.Combine(worktree, "out")], worktree, BuildTimeout);
            return build;
        }
        catch
        {
            await build.DisposeAsync();
            throw;
        }
    }

    /// <summary>This build's commit as <c>git describe</c> names it (<c>-dirty</c> with uncommitted changes).</summary>
    public static Task<string> DescribeCurrentAsync() => GitAsync("describe", "--always", "--dirty");

    private static Task<string> GitAsync(params string[] arguments)
        => ChildProcesses.RunToEndAsync("git", arguments, BenchmarkRun.RepositoryRoot, TimeSpan.FromMinutes(2));

    public async ValueTask DisposeAsync() => await GitAsync("worktree", "remove", "--force", _worktree);
}
