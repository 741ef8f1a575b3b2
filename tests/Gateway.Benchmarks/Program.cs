using Gateway.Benchmarks;

// dotnet run -c Release --project tests/Gateway.Benchmarks -- [--quick] [--latency-ms 20]
var quick = args.Contains("--quick");
var latencyMs = args.SkipWhile(a => a != "--latency-ms").Skip(1).Select(int.Parse).DefaultIfEmpty(20).First();
var report = await BenchmarkRun.RunAsync(quick, latencyMs);
Console.WriteLine(report);
var docs = Path.Combine(BenchmarkRun.RepositoryRoot, "docs", "benchmarks.md");
await File.WriteAllTextAsync(docs, report);
Console.WriteLine($"Wrote {docs}");
