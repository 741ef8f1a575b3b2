namespace Gateway.Benchmarks;

/// <summary>The inbox every mode reads: <c>schema/operations/inbox.graphql</c>, a Page's 10 latest conversations with their
/// 10 latest messages each (one Graph call in push-down).</summary>
public static class Inbox
{
    public static Operation Operation(string pageId)
        => new("inbox 10×10", File.ReadAllText(Path.Combine(BenchmarkRun.RepositoryRoot, "schema", "operations", "inbox.graphql")),
            new { pageId, conversations = 10, messages = 10 });
}
