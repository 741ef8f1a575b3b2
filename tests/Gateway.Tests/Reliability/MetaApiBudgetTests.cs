using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;
using MetaGraph.Emulator.Data;

namespace Gateway.Tests.Reliability;

/// <summary>
/// Meta limits each API on its own, and so does the gateway, at its default settings against an emulator enforcing
/// Meta's limits: user profile reads (names, pictures) are priced against the Page's daily profile allowance, not the
/// Conversations API's 2 calls per second, and batched 50 to a call.
/// </summary>
public sealed class MetaApiBudgetTests
{
    /// <summary>The gateway's defaults (the test host otherwise lifts the Conversations API's allowance).</summary>
    private static readonly Dictionary<string, string?> Defaults = new() { ["Meta:RateLimit:CallsPerSecond"] = "2" };

    private static Task<GatewayHost> StartAsync()
        => GatewayHost.StartAsync(new EmulatorOptions { RateLimitPerSecond = 2, ProfileCallsPerEngagedUser = 200 }, settings: Defaults, configurePages: true);

    [Fact]
    public async Task An_inbox_of_ten_conversations_with_every_participants_name_and_picture_is_served_whole_within_metas_limits()
    {
        await using var host = await StartAsync();
        var conversations = host.Emulator.Data.Pages[0].Folder(InboxPlatform.Messenger).Take(10).ToList();

        var result = await host.QueryAsync($$"""
            { page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 10) { nodes { participants { metaId name profilePic } } } } }
            """);

        Assert.Null(result["errors"]);
        var people = result.At("data.page.conversations.nodes")!.AsArray().Select(c => c!["participants"]![0]!).ToList();
        Assert.Equal(conversations.Select(c => c.Customer.ProfilePic), people.Select(p => p["profilePic"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Federation_entities_of_three_participants_are_one_profile_read()
    {
        await using var host = await StartAsync();
        var people = host.Emulator.Data.Pages[0].Folder(InboxPlatform.Messenger).Take(3).Select(c => c.Customer).ToList();
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync("query($r: [_Any!]!) { _entities(representations: $r) { ... on Participant { metaId name } } }",
            new { r = people.Select(p => new { __typename = "Participant", id = p.Id }) });

        Assert.Null(result["errors"]);
        Assert.Equal(people.Select(p => p.Name), result.At("data._entities")!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
        Assert.Contains("ids=", Assert.Single(host.UpstreamCalls).Query);
    }

    /// <summary>Meta counts each id of an <c>ids=</c> read as one Conversations API call: six fresh messages are six calls,
    /// three seconds at 2 per second, which the default wait covers.</summary>
    [Fact]
    public async Task Nodes_of_six_fresh_messages_are_all_served_at_two_calls_a_second()
    {
        await using var host = await StartAsync();
        var messages = host.Emulator.Data.Pages[0].Folder(InboxPlatform.Messenger).Take(3).SelectMany(c => c.Messages.Take(2)).ToList();
        var ids = messages.Select(m => Gateway.Api.GlobalIds.Encode("Message", m.Id)).ToList();

        var result = await host.QueryAsync("query($ids: [ID!]!) { nodes(ids: $ids) { ... on Message { metaId message } } }", new { ids });

        Assert.Null(result["errors"]);
        Assert.Equal(messages.Select(m => m.Id), result.At("data.nodes")!.AsArray().Select(n => n!["metaId"]!.GetValue<string>()));
    }
}
