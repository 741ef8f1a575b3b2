using Gateway.Benchmarks;

// dotnet run -c Release --project tests/Gateway.Benchmarks -- [--quick] [--latency-ms 20]
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --soak [--minutes 5]
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --shared-inbox [--quick]
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --subscriptions [--quick]
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --abuse [--quick]   (only the abuse section of benchmarks.md)
var soak = args.Contains("--soak");
var abuse = args.Contains("--abuse");
var quick = args.Contains("--quick");
var latencyMs = Option("--latency-ms", 20);
var docs = Path.Combine(BenchmarkRun.RepositoryRoot, "docs");
if (args.Contains("--shared-inbox"))
{
    var report = await SharedInboxRun.RunAsync(quick);
    Console.WriteLine(report);
    var path = Path.Combine(docs, "scaling-benchmark.md");
    await File.WriteAllTextAsync(path, SharedInboxRun.Into(File.Exists(path) ? await File.ReadAllTextAsync(path) : null, report));
}
else if (args.Contains("--subscriptions"))
{
    var report = await SubscriptionRun.RunAsync(quick);
    Console.WriteLine(report);
    await File.WriteAllTextAsync(Path.Combine(docs, "subscriptions.md"), report);
}
else if (soak)
{
    var report = await SoakRun.RunAsync(Option("--minutes", 5));
    Console.WriteLine(report);
    await File.WriteAllTextAsync(Path.Combine(docs, "soak.md"), report);
}
else if (abuse)
{
    var section = await AbuseRun.RunAsync(quick);
    Console.WriteLine(section);
    var path = Path.Combine(docs, "benchmarks.md");
    await File.WriteAllTextAsync(path, AbuseRun.Into(await File.ReadAllTextAsync(path), section));
}
else
{
    var (report, chart) = await BenchmarkRun.RunAsync(quick, latencyMs);
    report = AbuseRun.Into(report, await AbuseRun.RunAsync(quick));
    Console.WriteLine(report);
    await File.WriteAllTextAsync(Path.Combine(docs, "benchmarks.md"), report);
    await File.WriteAllTextAsync(Path.Combine(docs, "benchmarks.svg"), chart);
}
Console.WriteLine($"Wrote the report into {docs}");

int Option(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).DefaultIfEmpty(fallback).First();
