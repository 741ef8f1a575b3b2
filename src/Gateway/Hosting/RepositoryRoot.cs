namespace Gateway.Hosting;

/// <summary>The checkout's root (the folder holding <c>Gateway.sln</c>), for <c>schema export</c>, the tests and the
/// benchmarks, which read and write the repository's files.</summary>
internal static class RepositoryRoot
{
    /// <summary>The root at or above <paramref name="start"/>, or null outside a checkout.</summary>
    public static string? Above(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                return directory.FullName;
            }
        }
        return null;
    }
}
