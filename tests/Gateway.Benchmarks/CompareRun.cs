using System.Diagnostics;
using MetaGraph.Emulator;

namespace Gateway.Benchmarks;

/// <summary>
/// This build's gateway against the gateway built at another git ref (<c>--compare REF</c>), over one emulator, in
/// alternating rounds: the 10×10 push-down inbox uncached at 20 ms and 0 ms upstream, cached, and one request at a
/// time. A guard against regressions: each figure is printed as this/other with the ratio.
/// </summary>
public static class CompareRun
{
    public const string Heading = "## Against another build";

    /// <param name="baseReference">Built and run in this build's place (a bisect step between two past commits).</param>
    public static async Task<string> RunAsync(string reference, bool quick, string? baseReference = null)
    {
        var settings = quick ? SideBySideSettings.Quick : SideBySideSettings.Full;
        var clock = Stopwatch.StartNew();
        await using var self = baseReference is null ? null : await GatewayBuild.AtAsync(baseReference);
        var thisBuild = self?.Name ?? await GatewayBuild.DescribeCurrentAsync();
        await using var other = await GatewayBuild.AtAsync(reference);
        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorOptions { LatencyMs = 20 });
        var page = emulator.Seed[0];
        var inbox = Inbox.Operation(page.PageId);
        var load = SideBySide.LoadAverage();
        await using var thisUncached = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed, Cache(false), self);
        await using var otherUncached = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed, Cache(false), other);
        await using var thisCached = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed, Cache(true), self);
        await using var otherCached = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed, Cache(true), other);
        using var a = new Side($"this ({thisBuild})", thisUncached, page.AccessToken);
        using var b = new Side(other.Name, otherUncached, page.AccessToken);
        using var aCached = new Side($"this ({thisBuild}), cached", thisCached, page.AccessToken);
        using var bCached = new Side($"{other.Name}, cache on", otherCached, page.AccessToken);
        using var run = new SideBySide(emulator, inbox, settings);
        await run.RequireSameAnswersAsync([a, b, aCached, bCached], page.AccessToken, ignoreCursors: false);
        await run.WarmUpAsync([a, b, aCached, bCached]);
        var cells = new List<CellResult>
        {
            await run.RunAsync(new Cell("uncached, 20 ms upstream, c=16", 20, 16, 2_000, Floor: true, [a, b])),
            await run.RunAsync(new Cell("uncached, 0 ms upstream, c=16", 0, 16, 3_000, Floor: true, [a, b])),
            await run.RunAsync(new Cell("cache on, 20 ms upstream, c=16", 20, 16, 6_000, Floor: false, [aCached, bCached])),
            await run.RunAsync(new Cell("uncached, 20 ms upstream, c=1", 20, 1, 200, Floor: true, [a, b])),
        };
        var description = $"""
            This build's gateway against the one built at `{reference}` (a temporary git worktree), both push-down with the governor
            lifted, over one emulator, reading the 10×10 inbox (`schema/operations/inbox.graphql`). {settings.Rounds} alternating rounds per
            cell, each window after a {settings.RoundWarmUp.TotalSeconds:F1} s warm-up of its gateway; medians of the rounds, ratios this ÷ other.
            Both gateways answered the inbox the same (global ids read as Meta's ids).{NoCache(other, cells[2])}
            """;
        return SideBySide.Section(Heading, $"--compare {reference}{(quick ? " --quick" : "")}", description, cells, [a, b, aCached, bCached],
            $"{load} → {SideBySide.LoadAverage()}", clock.Elapsed);
    }

    /// <summary>Said when the other build served the cached cell from Graph (it predates the cache, or ignores the setting).</summary>
    private static string NoCache(GatewayBuild other, CellResult cached)
        => cached.Sides[1].GraphCallsPerRequest >= 0.5
            ? $" `{other.Name}` made {cached.Sides[1].GraphCallsPerRequest:F2} Graph calls per read with `Gateway:Cache:Enabled=true`: it has no cache to turn on, so its cached column is its uncached path at 20 ms."
            : "";

    /// <summary>The cache on or off. A build from before the cache ignores the setting (configuration keys nobody reads are
    /// harmless) and so serves every read from Graph: the cached cell's "Graph calls per request" shows it.</summary>
    private static Dictionary<string, string> Cache(bool enabled) => new() { ["Gateway__Cache__Enabled"] = enabled ? "true" : "false" };
}
