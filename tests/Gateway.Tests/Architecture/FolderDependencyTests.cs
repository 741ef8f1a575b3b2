using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Architecture;

/// <summary>
/// The gateway's folders (one namespace each) depend on each other in one direction only: a folder whose namespace uses
/// another's never has that one use it back, however indirectly. Read from the source: a file in folder X uses folder Y
/// when it imports Y (<c>using Gateway.Y;</c>; the build refuses unused ones) or names a type declared in Y qualified
/// with it (<c>Y.Type</c>).
/// </summary>
public sealed partial class FolderDependencyTests(ITestOutputHelper output)
{
    private static readonly string Source = Path.Combine(GatewayHost.RepositoryRoot, "src", "Gateway");

    [Fact]
    public void No_folder_uses_a_folder_that_uses_it_back()
    {
        var dependencies = Dependencies();
        foreach (var (from, to) in dependencies.OrderBy(d => d.Key))
        {
            output.WriteLine($"{from} → {string.Join(", ", to.Order())}");
        }

        var cycles = Cycles(dependencies);

        Assert.True(cycles.Count == 0, "Folders that use each other: " + string.Join("; ", cycles.Select(cycle => string.Join(" → ", cycle))));
    }

    [Fact]
    public void The_reading_of_dependencies_sees_the_ones_that_exist()
    {
        var dependencies = Dependencies();

        // Spot checks that the scanner reads what the code says: the schema root uses every domain, the spine uses the cache.
        Assert.Contains("Conversations", dependencies["Schema"]);
        Assert.Contains("Caching", dependencies["Inbox"]);
        Assert.DoesNotContain("Schema", dependencies.GetValueOrDefault("Api", []));
    }

    /// <summary>Folder → the folders it uses.</summary>
    private static Dictionary<string, HashSet<string>> Dependencies()
    {
        var files = Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(file => (Folder: FolderOf(File.ReadAllText(file)), Code: WithoutCommentsAndStrings(File.ReadAllText(file))))
            .Where(file => file.Folder is not null)
            .ToList();
        var declaredIn = files
            .SelectMany(file => Declarations().Matches(file.Code).Select(m => (Type: m.Groups[2].Value, file.Folder)))
            .GroupBy(d => d.Type)
            .Where(group => group.Select(d => d.Folder).Distinct().Count() == 1)
            .ToDictionary(group => group.Key, group => group.First().Folder!);
        var dependencies = new Dictionary<string, HashSet<string>>();
        foreach (var (folder, code) in files)
        {
            var uses = dependencies.TryGetValue(folder!, out var known) ? known : dependencies[folder!] = [];
            uses.UnionWith(Usings().Matches(code).Select(m => m.Groups[1].Value).Where(other => other != folder));
            foreach (Match identifier in Identifiers().Matches(code))
            {
                var qualifier = identifier.Groups[1].Value.TrimEnd('.').Replace("Gateway.", "");
                if (declaredIn.TryGetValue(identifier.Groups[2].Value, out var other) && other != folder && qualifier.EndsWith(other, StringComparison.Ordinal))
                {
                    uses.Add(other);
                }
            }
        }
        return dependencies;
    }

    /// <summary>Every cycle's folders, one path each (strongly connected components of more than one folder).</summary>
    private static List<List<string>> Cycles(Dictionary<string, HashSet<string>> dependencies)
    {
        var cycles = new List<List<string>>();
        foreach (var start in dependencies.Keys.Order())
        {
            foreach (var next in dependencies[start].Order())
            {
                if (PathBetween(dependencies, next, start) is { } back && !cycles.Any(cycle => cycle.Contains(start) && cycle.Contains(next)))
                {
                    cycles.Add([start, .. back]);
                }
            }
        }
        return cycles;
    }

    /// <summary>A path of uses from <paramref name="from"/> to <paramref name="to"/>, if any (breadth first).</summary>
    private static List<string>? PathBetween(Dictionary<string, HashSet<string>> dependencies, string from, string to)
    {
        var cameFrom = new Dictionary<string, string?> { [from] = null };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var folder))
        {
            if (folder == to)
            {
                var path = new List<string>();
                for (string? at = to; at is not null; at = cameFrom[at])
                {
                    path.Insert(0, at);
                }
                return path;
            }
            foreach (var next in dependencies.GetValueOrDefault(folder, []))
            {
                if (cameFrom.TryAdd(next, folder))
                {
                    queue.Enqueue(next);
                }
            }
        }
        return null;
    }

    private static string? FolderOf(string code)
        => FileNamespace().Match(code) is { Success: true } match ? match.Groups[1].Value : null;

    private static string WithoutCommentsAndStrings(string code) => CommentsAndStrings().Replace(code, " ");

    [GeneratedRegex(@"^namespace Gateway\.(\w+);", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"^using Gateway\.(\w+);", RegexOptions.Multiline)]
    private static partial Regex Usings();

    [GeneratedRegex(@"\b(class|record|struct|interface|enum)\s+([A-Z]\w*)")]
    private static partial Regex Declarations();

    [GeneratedRegex(@"((?:\b[A-Z]\w*\.)*)\b([A-Z]\w*)\b")]
    private static partial Regex Identifiers();

    /// <summary>Comments, and string literals (raw, verbatim, interpolated or plain), so their words are not read as code.</summary>
    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|""""""[\s\S]*?""""""|@""(?:[^""]|"""")*""|""(?:[^""\\\n]|\\.)*""|'(?:[^'\\\n]|\\.)'", RegexOptions.Singleline)]
    private static partial Regex CommentsAndStrings();
}
