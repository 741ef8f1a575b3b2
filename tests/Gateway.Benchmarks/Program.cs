using Gateway.Benchmarks;

// dotnet run -c Release --project tests/Gateway.Benchmarks -- [--quick] [--latency-ms 20]
// dotnet run -c Release --project tests/Gateway.Benchmarks -- --soak [--minutes 5]
var soak = args.Contains("--soak");
var quick = args.Contains("--quick");
var latencyMs = Option("--latency-ms", 20);
var report = soak ? await SoakRun.RunAsync(Option("--minutes", 5)) : await BenchmarkRun.RunAsync(quick, latencyMs);
Console.WriteLine(report);
var docs = Path.Combine(BenchmarkRun.RepositoryRoot, "docs", soak ? "soak.md" : "benchmarks.md");
await File.WriteAllTextAsync(docs, report);
Console.WriteLine($"Wrote {docs}");

int Option(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).DefaultIfEmpty(fallback).First();
