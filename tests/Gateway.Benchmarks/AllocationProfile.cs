using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;
using MetaGraph.Emulator;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Gateway.Benchmarks;

/// <summary>
/// Where an inbox read's allocations go (<c>--allocation-profile</c>): the runtime's allocation ticks (one event per
/// ~100 KB allocated, with its type and stack) recorded over EventPipe while the 10×10 inbox is read, uncached at 0 ms
/// upstream and then cached, grouped by type and by the innermost frame of the gateway's own code. The ticks are a
/// sample: each is worth the bytes allocated since the previous one, so the shares are estimates, the totals exact
/// within a tick.
/// </summary>
public static class AllocationProfile
{
    public const string Heading = "## Where the allocations go";

    public static async Task<string> RunAsync(bool quick)
    {
        var requests = quick ? 500 : 2_000;
        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorOptions { LatencyMs = 0 });
        var page = emulator.Seed[0];
        var inbox = Inbox.Operation(page.PageId);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"""
            {Heading}

            Command: `dotnet run -c Release --project tests/Gateway.Benchmarks -- --allocation-profile{(quick ? " --quick" : "")}`, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.
            {requests} reads of the 10×10 inbox (`schema/operations/inbox.graphql`) at concurrency {LoadGenerator.Concurrency} after a warm-up,
            the gateway (push-down) as its own process, sampled by the runtime's allocation ticks. Allocation counts do not depend on
            the machine's load, unlike times.

            """);
        foreach (var cached in (bool[])[false, true])
        {
            await using var gateway = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed,
                new Dictionary<string, string> { ["Gateway__Cache__Enabled"] = cached ? "true" : "false" });
            using var load = new LoadGenerator(gateway.Address, page.AccessToken);
            await load.WarmUpAsync([inbox], TimeSpan.FromSeconds(quick ? 2 : 5));
            var trace = Path.Combine(Path.GetTempPath(), $"allocations-{Guid.NewGuid():N}.nettrace");
            await RecordAsync(gateway.ProcessId, trace, () => load.RunAsync(inbox, requests));
            report.Append(Summary(cached ? "cache on" : "uncached, 0 ms upstream", trace, requests));
            File.Delete(trace);
        }
        return report.ToString();
    }

    private static async Task RecordAsync(int processId, string path, Func<Task> work)
    {
        // The GC keyword at Verbose level carries GCAllocationTick; rundown names the methods of the stacks.
        var provider = new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC);
        using var session = new DiagnosticsClient(processId).StartEventPipeSession([provider], requestRundown: true);
        await using var file = File.Create(path);
        var copying = session.EventStream.CopyToAsync(file);
        await work();
        await session.StopAsync(CancellationToken.None);
        await copying;
    }

    private static string Summary(string label, string trace, int requests)
    {
        using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(trace));
        var byType = new Dictionary<string, long>();
        var byFrame = new Dictionary<string, long>();
        long total = 0;
        foreach (var traced in log.Events)
        {
            if (traced is not GCAllocationTickTraceData tick)
            {
                continue;
            }
            total += tick.AllocationAmount64;
            Add(byType, tick.TypeName ?? "?", tick.AllocationAmount64);
            Add(byFrame, $"{Short(tick.TypeName)} in {OurFrame(tick)}", tick.AllocationAmount64);
        }
        var text = new StringBuilder($"### {label}: {Kb(total, requests)} KB per read\n\n| type | KB per read |\n|---|---:|\n");
        foreach (var (type, bytes) in byType.OrderByDescending(t => t.Value).Take(10))
        {
            text.Append(CultureInfo.InvariantCulture, $"| `{Short(type)}` | {Kb(bytes, requests)} |\n");
        }
        text.Append("\n| allocated, in the gateway's innermost frame | KB per read |\n|---|---:|\n");
        foreach (var (frame, bytes) in byFrame.OrderByDescending(t => t.Value).Take(12))
        {
            text.Append(CultureInfo.InvariantCulture, $"| `{frame}` | {Kb(bytes, requests)} |\n");
        }
        return text.Append('\n').ToString();
    }

    /// <summary>The innermost method of the gateway's or the Graph client's code on the allocation's stack.</summary>
    private static string OurFrame(GCAllocationTickTraceData tick)
    {
        for (var frame = tick.CallStack(); frame is not null; frame = frame.Caller)
        {
            var name = frame.CodeAddress.FullMethodName;
            if (name.StartsWith("Gateway.", StringComparison.Ordinal) || name.StartsWith("MetaGraph.", StringComparison.Ordinal))
            {
                return Short(name[..(name.IndexOf('(') is > 0 and var paren ? paren : name.Length)]);
            }
        }
        return "(GraphQL.NET, ASP.NET Core, the runtime)";
    }

    private static void Add(Dictionary<string, long> totals, string key, long bytes) => totals[key] = totals.GetValueOrDefault(key) + bytes;

    private static string Short(string? name) => name is null ? "?" : name.Length > 90 ? name[..90] + "…" : name;

    private static string Kb(long bytes, int requests) => (bytes / 1024.0 / requests).ToString("F1", CultureInfo.InvariantCulture);
}
