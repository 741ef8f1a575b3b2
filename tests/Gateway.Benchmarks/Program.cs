using Gateway.Benchmarks;

// dotnet run -c Release --project tests/Gateway.Benchmarks -- [--quick] [--latency-ms 20]
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --soak [--minutes 5]
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --subscriptions [--quick]
var soak = args.Contains("--soak");
var subscriptions = args.Contains("--subscriptions");
var quick = args.Contains("--quick");
var latencyMs = Option("--latency-ms", 20);
var docs = Path.Combine(BenchmarkRun.RepositoryRoot, "docs");
if (subscriptions)
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
else
{
    var (report, chart) = await BenchmarkRun.RunAsync(quick, latencyMs);
    Console.WriteLine(report);
    await File.WriteAllTextAsync(Path.Combine(docs, "benchmarks.md"), report);
    await File.WriteAllTextAsync(Path.Combine(docs, "benchmarks.svg"), chart);
}
Console.WriteLine($"Wrote the report into {docs}");

int Option(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).DefaultIfEmpty(fallback).First();
