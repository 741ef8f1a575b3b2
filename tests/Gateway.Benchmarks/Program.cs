using Gateway.Benchmarks;

// dotnet run -c Release --project tests/Gateway.Benchmarks -- [--quick] [--latency-ms 20]
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --soak [--minutes 5]
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --shared-inbox [--quick]
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --subscriptions [--quick]
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --abuse [--quick]   (only the abuse section of benchmarks.md)
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --compare <git-ref> [--base <git-ref>] [--quick]   (this build, or the base, against another)
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --peers [--quick]   (against Hive Gateway from npm)
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --allocation-profile [--quick]   (where an inbox read's allocations go)
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --send [--quick] [--latency-ms 20]   (replies: only that section)
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --archive [--quick]   (the Measurements section of archive.md)
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --search [--messages 1000000] [--pages 10]   (docs/search-and-sync.md)
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --sync [--conversations 2000]   (docs/search-and-sync.md)
var soak = args.Contains("--soak");
var abuse = args.Contains("--abuse");
var quick = args.Contains("--quick");
var latencyMs = Option("--latency-ms", 20, int.Parse);
var compare = Option<string?>("--compare", null, reference => reference);
var compareBase = Option<string?>("--base", null, reference => reference);
var docs = Path.Combine(BenchmarkRun.RepositoryRoot, "docs");
var benchmarks = Path.Combine(docs, "benchmarks.md");
var existing = File.Exists(benchmarks) ? await File.ReadAllTextAsync(benchmarks) : null;
if (args.Contains("--shared-inbox"))
{
    var report = await SharedInboxRun.RunAsync(quick);
    Console.WriteLine(report);
    var path = Path.Combine(docs, "scaling-benchmark.md");
    await File.WriteAllTextAsync(path, SharedInboxRun.Into(File.Exists(path) ? await File.ReadAllTextAsync(path) : null, report));
}
else if (args.Contains("--archive"))
{
    var report = await ArchiveRun.RunAsync(quick);
    Console.WriteLine(report);
    var path = Path.Combine(docs, "archive.md");
    await File.WriteAllTextAsync(path, MarkdownSections.Replace(await File.ReadAllTextAsync(path), ArchiveRun.Heading, report));
}
else if (args.Contains("--search") || args.Contains("--sync"))
{
    var path = Path.Combine(docs, "search-and-sync.md");
    var (heading, section) = args.Contains("--search")
        ? (SearchRun.Heading, await SearchRun.RunAsync(Option("--messages", 1_000_000, int.Parse), Option("--pages", SearchRun.DefaultPages, int.Parse)))
        : (SyncRun.Heading, await SyncRun.RunAsync(Option("--conversations", 2_000, int.Parse)));
    Console.WriteLine(section);
    await File.WriteAllTextAsync(path, MarkdownSections.Replace(File.Exists(path) ? await File.ReadAllTextAsync(path) : null, heading, section));
}
else if (args.Contains("--subscriptions"))
{
    var report = await SubscriptionRun.RunAsync(quick);
    Console.WriteLine(report);
    await File.WriteAllTextAsync(Path.Combine(docs, "subscriptions.md"), report);
}
else if (soak)
{
    var report = await SoakRun.RunAsync(Option("--minutes", 5, int.Parse));
    Console.WriteLine(report);
    await File.WriteAllTextAsync(Path.Combine(docs, "soak.md"), report);
}
else if (abuse)
{
    await WriteSectionAsync(AbuseRun.Heading, await AbuseRun.RunAsync(quick));
}
else if (compare is not null && compareBase is not null)
{
    // Two past builds (a bisect step): printed, not written into the docs, whose section is this build's.
    Console.WriteLine(await CompareRun.RunAsync(compare, quick, compareBase));
}
else if (compare is not null)
{
    await WriteSectionAsync(CompareRun.Heading, await CompareRun.RunAsync(compare, quick));
}
else if (args.Contains("--allocation-profile"))
{
    await WriteSectionAsync(AllocationProfile.Heading, await AllocationProfile.RunAsync(quick));
}
else if (args.Contains("--peers"))
{
    await WriteSectionAsync(PeerRun.Heading, await PeerRun.RunAsync(quick));
}
else if (args.Contains("--send"))
{
    await WriteSectionAsync(SendRun.Heading, await SendRun.RunAsync(quick, latencyMs));
}
else
{
    var (report, chart) = await BenchmarkRun.RunAsync(quick, latencyMs);
    report = MarkdownSections.Replace(report, AbuseRun.Heading, await AbuseRun.RunAsync(quick));
    report = MarkdownSections.Keep(existing, report, [CompareRun.Heading, PeerRun.Heading, MarkdownSections.BisectHeading, AllocationProfile.Heading, SendRun.Heading, MarkdownSections.NotesHeading]);
    Console.WriteLine(report);
    await File.WriteAllTextAsync(benchmarks, report);
    await File.WriteAllTextAsync(Path.Combine(docs, "benchmarks.svg"), chart);
}
Console.WriteLine($"Wrote the report into {docs}");

T Option<T>(string name, T fallback, Func<string, T> parse) => args.SkipWhile(a => a != name).Skip(1).Select(parse).DefaultIfEmpty(fallback).First();

// One mode's section of benchmarks.md, replaced in place; the rest of the file is kept.
async Task WriteSectionAsync(string heading, string section)
{
    Console.WriteLine(section);
    await File.WriteAllTextAsync(benchmarks, MarkdownSections.Replace(existing, heading, section));
}
