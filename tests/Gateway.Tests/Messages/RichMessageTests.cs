using System.Text.Json.Nodes;
using Gateway.DataLoading;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator.Data;

namespace Gateway.Tests.Messages;

/// <summary>Shares, stories, reactions, tags, unsupported messages and animated images reach the schema, pushed down with
/// the inbox call, with the values the emulator holds.</summary>
public sealed class RichMessageTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    private const string RichFields = "metaId shares { id link name description picture } story { kind id link } reactions { reaction users { metaId username } } "
        + "tags isUnsupported attachments { type url previewUrl animatedUrl renderAsSticker }";

    private static string Inbox(GatewayHost host, string platform) => $$"""
        { page(id: "{{host.Page.PageId}}") { conversations(platform: {{platform}}, first: 1) { nodes { messages(first: 20) { nodes { {{RichFields}} } } } } } }
        """;

    [Theory]
    [InlineData("INSTAGRAM", InboxPlatform.Instagram)]
    [InlineData("MESSENGER", InboxPlatform.Messenger)]
    public async Task The_inbox_reads_shares_stories_reactions_tags_and_animated_images_in_its_one_call(string platform, InboxPlatform inbox)
    {
        var host = await hosts.ForTestAsync();
        var seeded = host.Emulator.Data.Pages[0].Folder(inbox)[0].Messages.Take(20).ToList();
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync(Inbox(host, platform));

        Assert.Null(result["errors"]);
        var call = Assert.Single(host.UpstreamCalls);
        Assert.Contains("shares{id,link,name,description,picture},story,reactions{reaction,users},tags,is_unsupported", call.Fields());
        var nodes = result.At("data.page.conversations.nodes.0.messages.nodes")!.AsArray();
        Assert.Equal(seeded.Select(m => m.Id), nodes.Select(n => n!["metaId"]!.GetValue<string>()));
        for (var i = 0; i < seeded.Count; i++)
        {
            AssertMessage(seeded[i], nodes[i]!);
        }
        Assert.Contains(nodes, n => n!["shares"] is JsonArray);
        Assert.Contains(nodes, n => n!["attachments"] is JsonArray a && a.Any(x => x!["animatedUrl"] is not null));
        if (inbox == InboxPlatform.Instagram)
        {
            Assert.Contains(nodes, n => n!["story"]?["kind"]?.GetValue<string>() == "MENTION");
            Assert.Contains(nodes, n => n!["story"]?["kind"]?.GetValue<string>() == "REPLY");
            Assert.Contains(nodes, n => n!["reactions"] is JsonArray);
        }
    }

    [Fact]
    public async Task Messages_read_one_by_one_answer_the_same_as_the_pushed_down_inbox()
    {
        var pushDown = await hosts.ForTestAsync();
        var naive = await hosts.ForTestAsync(ExecutionMode.Naive);

        var expected = await pushDown.QueryAsync(Inbox(pushDown, "INSTAGRAM"));
        var actual = await naive.QueryAsync(Inbox(naive, "INSTAGRAM"));

        Assert.Null(actual["errors"]);
        Assert.Equal(expected.Compact(), actual.Compact());
    }

    private static void AssertMessage(MessageData seeded, JsonNode node)
    {
        Assert.Equal(seeded.Shares.Select(s => $"{s.Id} {s.Link} {s.Name} {s.Description} {s.Picture}"),
            (node["shares"] as JsonArray ?? []).Select(s => $"{s!["id"]} {s["link"]} {s["name"]} {s["description"]} {s["picture"]}"));
        Assert.Equal(seeded.Story is { } story ? $"{(story.Kind == StoryKind.Mention ? "MENTION" : "REPLY")} {story.Id} {story.Link}" : null,
            node["story"] is { } json ? $"{json["kind"]} {json["id"]} {json["link"]}" : null);
        Assert.Equal(seeded.Reactions.Select(r => $"{r.Reaction}: {string.Join(",", r.Users.Select(u => $"{u.Id}/{u.Username}"))}"),
            (node["reactions"] as JsonArray ?? []).Select(r => $"{r!["reaction"]}: {string.Join(",", r["users"]!.AsArray().Select(u => $"{u!["metaId"]}/{u["username"]}"))}"));
        Assert.Equal(seeded.Tags, (node["tags"] as JsonArray ?? []).Select(t => t!.GetValue<string>()));
        Assert.Equal(seeded.IsUnsupported, node["isUnsupported"]!.GetValue<bool>());
        var attachments = node["attachments"] as JsonArray ?? [];
        Assert.Equal(seeded.Attachments.Select(a => a.Kind.ToString().ToUpperInvariant()), attachments.Select(a => a!["type"]!.GetValue<string>()));
        Assert.Equal(seeded.Attachments.Select(a => a.Animated), attachments.Select(a => a!["animatedUrl"] is not null));
        Assert.Equal(seeded.Attachments.Select(a => a.Url), attachments.Select(a => a!["url"]!.GetValue<string>()));
    }
}
