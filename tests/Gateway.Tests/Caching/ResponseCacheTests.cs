using System.Diagnostics.Metrics;
using System.Text;
using Gateway.Caching;
using Gateway.Telemetry;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ZiggyCreatures.Caching.Fusion;

namespace Gateway.Tests.Caching;

/// <summary>Executed query results kept whole: a repeated read is a lookup, never a result a webhook made wrong, never
/// another caller's, never one that read what no webhook describes.</summary>
public sealed class ResponseCacheTests
{
    private const string Inbox = """query($page: ID!) { page(id: $page) { conversations(platform: MESSENGER, first: 3) { nodes { metaId snippet } } } }""";

    [Fact]
    public async Task A_repeated_query_is_answered_with_the_kept_result_without_executing_it_again()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true);
        using var lookups = Lookups(host);

        var first = await host.QueryAsync(Inbox, new { page = host.Page.PageId });
        var second = await host.QueryAsync(Inbox, new { page = host.Page.PageId });

        Assert.Null(first["errors"]);
        Assert.Equal(first.Compact(), second.Compact());
        Assert.Equal(["miss", "hit"], Outcomes(lookups));
        Assert.Single(host.UpstreamCalls);
    }

    [Fact]
    public async Task A_result_kept_for_one_token_is_never_given_to_another()
    {
        await using var host = await GatewayHost.StartAsync();
        var otherPage = host.Emulator.Seed[1];
        using var lookups = Lookups(host);

        var byPageToken = await host.QueryAsync(Inbox, new { page = host.Page.PageId });
        var byOtherPagesToken = await host.QueryAsync(Inbox, new { page = host.Page.PageId }, otherPage.AccessToken);

        Assert.Null(byPageToken["errors"]);
        Assert.Equal("META_PERMISSION_DENIED", byOtherPagesToken.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Null(byOtherPagesToken.At("data.page.conversations"));
        Assert.Equal(["miss", "miss"], Outcomes(lookups));
    }

    [Fact]
    public async Task A_result_with_errors_is_not_kept()
    {
        await using var host = await GatewayHost.StartAsync();
        var otherPage = host.Emulator.Seed[1];
        using var lookups = Lookups(host);

        var first = await host.QueryAsync(Inbox, new { page = host.Page.PageId }, otherPage.AccessToken);
        var again = await host.QueryAsync(Inbox, new { page = host.Page.PageId }, otherPage.AccessToken);

        Assert.NotNull(first["errors"]);
        Assert.NotNull(again["errors"]);
        Assert.Equal(["miss", "miss"], Outcomes(lookups));
    }

    /// <summary>A conversation changed (what a webhook or a send reports): the results holding it are executed again and
    /// show the change.</summary>
    [Fact]
    public async Task A_change_to_a_conversation_drops_the_kept_results_holding_it()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true);
        var conversation = host.Emulator.Data.Pages[0].Conversations[0].Id;
        using var lookups = Lookups(host);
        await host.QueryAsync(Inbox, new { page = host.Page.PageId });
        await host.QueryAsync(Inbox, new { page = host.Page.PageId });

        await host.Services.GetRequiredService<GraphResultCache>().ConversationChangedAsync(host.Page.PageId, conversation);
        await host.QueryAsync(Inbox, new { page = host.Page.PageId });

        Assert.Equal(["miss", "hit", "miss"], Outcomes(lookups));
        Assert.Equal(2, host.UpstreamCalls.Count);
    }

    /// <summary>The race a webhook can win: a result executed over an answer that an invalidation overtook while it ran is
    /// not kept, though it is complete and without errors.</summary>
    [Fact]
    public async Task A_result_made_of_an_answer_older_than_an_invalidation_is_not_kept()
    {
        var (results, graph, time) = Create();
        var key = ResponseKey.Of("POST", "Bearer token", null, "{\"query\":\"{ inbox }\"}"u8);
        var freshness = new ResponseFreshness();
        freshness.Saw([CacheTags.Object("t_1")], time.GetUtcNow(), time.GetUtcNow().AddSeconds(10), time.GetUtcNow(), null, null);
        time.Advance(TimeSpan.FromMilliseconds(5));
        await graph.ObjectChangedAsync("t_1");

        results.Keep(key, "{}"u8.ToArray(), freshness);

        Assert.Null(results.Find(key));
    }

    [Fact]
    public void A_kept_result_lasts_until_the_first_of_its_answers_expires_or_changes()
    {
        var (results, _, time) = Create();
        var key = ResponseKey.Of("POST", null, "api-key", "{\"query\":\"{ inbox }\"}"u8);
        var freshness = new ResponseFreshness();
        var now = time.GetUtcNow();
        freshness.Saw([CacheTags.Listing("104")], now, now.AddSeconds(10), now, null, null);
        freshness.Saw([CacheTags.Object("t_1")], now, now.AddHours(1), now, null, null);
        // A messaging window closes sooner.
        freshness.ChangesAt(now.AddSeconds(4));

        results.Keep(key, Encoding.UTF8.GetBytes("{\"data\":{}}"), freshness);
        var kept = results.Find(key);
        time.Advance(TimeSpan.FromSeconds(4));

        Assert.NotNull(kept);
        Assert.Null(results.Find(key));
    }

    [Fact]
    public void A_kept_result_lasts_as_long_as_its_shortest_lived_answer()
    {
        var (results, _, time) = Create();
        var key = ResponseKey.Of("POST", null, "api-key", "{\"query\":\"{ inbox }\"}"u8);
        var freshness = new ResponseFreshness();
        var now = time.GetUtcNow();
        freshness.Saw([CacheTags.Object("t_1")], now, now.AddHours(1), now, null, null);
        freshness.Saw([CacheTags.Listing("104")], now, now.AddSeconds(10), now, null, null);

        results.Keep(key, Encoding.UTF8.GetBytes("{\"data\":{}}"), freshness);
        time.Advance(TimeSpan.FromSeconds(9.9));
        var beforeItExpires = results.Find(key);
        time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.NotNull(beforeItExpires);
        Assert.Null(results.Find(key));
    }

    [Fact]
    public void A_result_that_read_what_no_tag_describes_is_not_kept()
    {
        var (results, _, time) = Create();
        var key = ResponseKey.Of("GET", "Bearer token", null, "query=%7B%20search%20%7D"u8);
        var freshness = new ResponseFreshness();
        freshness.Saw([CacheTags.Listing("104")], time.GetUtcNow(), time.GetUtcNow().AddSeconds(10), time.GetUtcNow(), null, null);
        freshness.Untracked();

        results.Keep(key, "{}"u8.ToArray(), freshness);

        Assert.Null(results.Find(key));
    }

    [Fact]
    public void Keys_differ_by_credentials_and_never_hold_them()
    {
        var body = "{\"query\":\"{ inbox }\"}"u8;

        var first = ResponseKey.Of("POST", "Bearer EAAB-first", null, body);
        var second = ResponseKey.Of("POST", "Bearer EAAB-second", null, body);
        var byKey = ResponseKey.Of("POST", null, "Bearer EAAB-first", body);

        Assert.Equal(first, ResponseKey.Of("POST", "Bearer EAAB-first", null, body));
        Assert.NotEqual(first, second);
        Assert.NotEqual(first, byKey);
        Assert.DoesNotContain("EAAB", first.Value);
    }

    private static (ResponseCache Results, GraphResultCache Graph, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new GraphCacheOptions());
        var graph = new GraphResultCache(new FusionCache(new FusionCacheOptions()), time, options);
        var metrics = new GatewayMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
        return (new ResponseCache(graph, time, options, metrics), graph, time);
    }

    private static MetricCollector<long> Lookups(GatewayHost host)
        => new(host.Services.GetRequiredService<IMeterFactory>(), GatewayMetrics.MeterName, "gateway.response_cache.lookups");

    private static List<string> Outcomes(MetricCollector<long> lookups)
        => [.. lookups.GetMeasurementSnapshot().Select(measurement => (string)measurement.Tags["outcome"]!)];
}
