using System.Diagnostics;
using MetaGraph.Emulator;

namespace Gateway.Benchmarks;

/// <summary>
/// Our gateway against Hive Gateway from npm (<c>--peers</c>), over one emulator, in alternating rounds: Hive with a
/// resolver per REST endpoint (the naive REST-to-GraphQL pattern, 11 Graph calls for the inbox), Hive with the inbox
/// resolver expanding <c>messages.limit(n){…}</c> itself (one call, as our push-down), and that with Hive's response
/// cache against ours with its cache on.
/// </summary>
public static class PeerRun
{
    public const string Heading = "## Against Hive Gateway";

    /// <summary>Hive's response cache keeps an answer as long as our cache keeps a listing (<c>Gateway:Cache:ListingLifetime</c>).</summary>
    private static readonly TimeSpan ResponseCacheLifetime = TimeSpan.FromSeconds(10);

    public static async Task<string> RunAsync(bool quick)
    {
        var settings = quick ? SideBySideSettings.Quick : SideBySideSettings.Full;
        var clock = Stopwatch.StartNew();
        var (npm, versions) = await HiveGatewayProcess.InstallAsync();
        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorOptions { LatencyMs = 20 });
        var page = emulator.Seed[0];
        var load = SideBySide.LoadAverage();
        await using var ours = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed);
        await using var oursCached = await GatewayProcess.StartAsync("PushDown", emulator.BaseAddress, emulator.Seed,
            new Dictionary<string, string> { ["Gateway__Cache__Enabled"] = "true" });
        await using var perEndpoint = await HiveGatewayProcess.StartAsync(npm, emulator.BaseAddress, "per-endpoint");
        await using var expansion = await HiveGatewayProcess.StartAsync(npm, emulator.BaseAddress, "field-expansion");
        await using var expansionCached = await HiveGatewayProcess.StartAsync(npm, emulator.BaseAddress, "field-expansion", ResponseCacheLifetime);
        using var a = new Side("ours (push-down)", ours, page.AccessToken);
        using var b = new Side("Hive per-endpoint", perEndpoint, page.AccessToken);
        using var c = new Side("Hive field expansion", expansion, page.AccessToken);
        using var aCached = new Side("ours, cache on", oursCached, page.AccessToken);
        using var cCached = new Side("Hive field expansion + response cache", expansionCached, page.AccessToken);
        using var run = new SideBySide(emulator, Inbox.Operation(page.PageId), settings);
        await run.RequireSameAnswersAsync([a, b, c, aCached, cCached], page.AccessToken, ignoreCursors: true);
        await run.WarmUpAsync([a, b, c, aCached, cCached]);
        var cells = new List<CellResult>
        {
            await run.RunAsync(new Cell("uncached, 20 ms upstream, c=16", 20, 16, 1_000, Floor: true, [a, b, c])),
            await run.RunAsync(new Cell("uncached, 0 ms upstream, c=16", 0, 16, 1_500, Floor: true, [a, b, c])),
            await run.RunAsync(new Cell("uncached, 20 ms upstream, c=1", 20, 1, 200, Floor: true, [a, b, c])),
            await run.RunAsync(new Cell("cached, c=16", 20, 16, 6_000, Floor: false, [aCached, cCached])),
            await run.RunAsync(new Cell("cached, c=64", 20, 64, 6_000, Floor: false, [aCached, cCached])),
        };
        var description = $$"""
            Our gateway (push-down, governor lifted) against Hive Gateway ({{versions}}, one process) serving the same
            inbox query over the same emulator: `tests/Gateway.Benchmarks/hive-gateway.mjs`, hand-written resolvers on Hive's runtime,
            *per-endpoint* (the listing, then each conversation's messages: 11 Graph calls) or with *field expansion* (one call,
            `messages.limit(n){…}`), and that with Hive's response cache (`responseCaching`: in memory, per token, {{ResponseCacheLifetime.TotalSeconds:F0}} s
            as our listings). Every server answered the inbox the same (cursors aside: each writes its own). {{settings.Rounds}} alternating
            rounds per cell, each window after a {{settings.RoundWarmUp.TotalSeconds:F1}} s warm-up of its server; medians of the rounds, ratios ours ÷ peer.
            """;
        return SideBySide.Section(Heading, $"--peers{(quick ? " --quick" : "")}", description, cells, [a, b, c, aCached, cCached],
            $"{load} → {SideBySide.LoadAverage()}", clock.Elapsed);
    }
}
