using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator.Data;

namespace Gateway.Tests.Federation;

/// <summary>Participant entities, which a router sends with only their id, resolve through Meta's user profile reads,
/// batched into one <c>?ids=</c> call; <c>profilePic</c> comes from the same reads.</summary>
public sealed class ParticipantProfileTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    private const string Entities = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Participant { SELECTION } } }";

    private static List<ParticipantData> People(GatewayHost host, int perPlatform) =>
    [
        .. host.Emulator.Data.Pages[0].Folder(InboxPlatform.Messenger).Take(perPlatform).Select(c => c.Customer),
        .. host.Emulator.Data.Pages[0].Folder(InboxPlatform.Instagram).Take(perPlatform).Select(c => c.Customer),
    ];

    [Fact]
    public async Task Ten_participant_representations_with_name_and_profile_pic_are_one_graph_call()
    {
        var host = await hosts.ForTestAsync();
        var people = People(host, 5);
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync(Entities.Replace("SELECTION", "metaId name profilePic"),
            new { r = people.Select(p => new { __typename = "Participant", id = p.Id }) });

        Assert.Null(result["errors"]);
        var entities = result.At("data._entities")!.AsArray();
        Assert.Equal(people.Select(p => (p.Id, p.Name, (string?)p.ProfilePic)),
            entities.Select(e => (e!["metaId"]!.GetValue<string>(), e["name"]?.GetValue<string>(), e["profilePic"]?.GetValue<string>())));
        var call = Assert.Single(host.UpstreamCalls);
        Assert.Equal("name,profile_pic", call.Fields());
        Assert.Contains($"ids={string.Join("%2C", people.Select(p => p.Id).Order(StringComparer.Ordinal))}", call.Query);
    }

    [Fact]
    public async Task Participant_representations_resolve_instagram_usernames_and_messenger_emails_from_the_profile()
    {
        var host = await hosts.ForTestAsync();
        var people = People(host, 2);
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync(Entities.Replace("SELECTION", "id username email"),
            new { r = people.Select(p => new { __typename = "Participant", id = p.Id }) });

        Assert.Null(result["errors"]);
        Assert.Equal(people.Select(p => (p.Username, p.Email)),
            result.At("data._entities")!.AsArray().Select(e => (e!["username"]?.GetValue<string>(), e["email"]?.GetValue<string>())));
        Assert.Equal("name,username", Assert.Single(host.UpstreamCalls).Fields());
    }

    [Fact]
    public async Task Profile_pictures_in_an_inbox_are_one_read_for_all_people_and_null_for_the_page()
    {
        var host = await hosts.ForTestAsync();
        var conversations = host.Emulator.Data.Pages[0].Folder(InboxPlatform.Messenger).Take(5).ToList();
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync($$"""
            { page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 5) { nodes { participants { id name profilePic } } } } }
            """);

        Assert.Null(result["errors"]);
        var participants = result.At("data.page.conversations.nodes")!.AsArray().Select(c => c!["participants"]!.AsArray()).ToList();
        Assert.Equal(conversations.Select(c => c.Customer.ProfilePic), participants.Select(p => p[0]!["profilePic"]!.GetValue<string>()));
        Assert.All(participants, p => Assert.Null(p[1]!["profilePic"]));
        // The listing, then one profile read of everyone; Graph refuses a Page's profile, so that read is retried item by item.
        Assert.Equal(["conversations", "ids", "batch"], host.UpstreamCalls.Select(Kind));
        Assert.Equal(6, host.UpstreamCalls[2].Batch!.Count);
    }

    private static string Kind(MetaGraph.Emulator.RecordedRequest request)
        => request.Batch is not null ? "batch" : request.Query.Contains("ids=") ? "ids" : request.Path.Split('/')[^1];
}
