using System.Net;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Data;

namespace MetaGraph.Emulator.Tests;

/// <summary>A large Page for sync tests and benchmarks: one more Page with thousands of conversations per platform, quick to
/// generate, deterministic, and leaving every other Page as it is.</summary>
public sealed class LargePageTests
{
    [Fact]
    public async Task A_page_of_5000_conversations_per_platform_is_added_and_the_other_pages_stay_byte_identical()
    {
        await using var plain = await EmulatorServer.StartAsync(new EmulatorOptions());
        await using var large = await EmulatorServer.StartAsync(new EmulatorOptions { LargePageConversations = 5000 });
        using var http = new HttpClient();

        var page = large.Data.Pages[^1];
        Assert.Equal(3, large.Seed.Count);
        Assert.Equal(new SeedConversationCounts(5000, 5000), large.Seed[2].Conversations);
        Assert.Equal("Emulator Shop Large", page.Name);
        // Mostly short threads keep memory in check: under ten messages a conversation on average.
        Assert.InRange(page.Conversations.Sum(c => c.MessageCount) / (double)page.Conversations.Count, 1, 10);
        Assert.Contains(page.Conversations, c => c.MessageCount > InboxData.MessagesWithDetails);
        for (var p = 0; p < plain.Seed.Count; p++)
        {
            Assert.Equal(plain.Seed[p], large.Seed[p]);
            var listing = Listing(plain.Seed[p]);
            Assert.Equal(await http.GetStringAsync(new Uri(plain.BaseAddress, listing)).Host(plain), await http.GetStringAsync(new Uri(large.BaseAddress, listing)).Host(large));
        }
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_large_page()
    {
        var options = new EmulatorOptions { LargePageConversations = 600 };
        await using var one = await EmulatorServer.StartAsync(options);
        await using var two = await EmulatorServer.StartAsync(options);
        using var http = new HttpClient();

        var listing = Listing(one.Seed[2]);

        Assert.Equal(one.Seed[2], two.Seed[2]);
        Assert.Equal(await http.GetStringAsync(new Uri(one.BaseAddress, listing)).Host(one), await http.GetStringAsync(new Uri(two.BaseAddress, listing)).Host(two));
        Assert.Equal(one.Data.Pages[2].Conversations.SelectMany(c => c.Messages).Select(m => m.Id),
            two.Data.Pages[2].Conversations.SelectMany(c => c.Messages).Select(m => m.Id));
    }

    [Fact]
    public async Task Every_conversation_of_the_large_inbox_is_reached_by_paging()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { LargePageConversations = 1000 });
        using var http = new HttpClient();
        var page = server.Seed[2];

        var ids = new List<string>();
        var next = new Uri(server.BaseAddress, $"v25.0/{page.PageId}/conversations?limit=200&access_token={page.AccessToken}");
        while (true)
        {
            using var response = await http.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            ids.AddRange(json["data"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
            if (json["paging"]?["next"]?.GetValue<string>() is not { } link)
            {
                break;
            }
            next = new Uri(link);
        }

        Assert.Equal(1000, ids.Count);
        Assert.Equal(1000, ids.Distinct().Count());
    }

    private static string Listing(SeedPage page)
        => $"v25.0/{page.PageId}/conversations?platform=instagram&limit=50&access_token={page.AccessToken}" +
            "&fields=id,updated_time,snippet,participants,messages.limit(25){id,created_time,from,to,message,attachments,sticker,reply_to,tags}";
}

internal static class ServerAddresses
{
    /// <summary>The answer with the server's own address replaced, so two servers' answers compare.</summary>
    public static async Task<string> Host(this Task<string> answer, EmulatorServer server) => (await answer).Replace(server.BaseAddress.Authority, "host");
}
