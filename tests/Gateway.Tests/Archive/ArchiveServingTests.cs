using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Api;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Sending;
using MetaGraph;
using MetaGraph.Emulator;
using static Gateway.Tests.Archive.ArchiveGateways;

namespace Gateway.Tests.Archive;

/// <summary>The archive serves what Meta no longer gives, to whoever may read the Page, and forgets what is unsent: a real
/// gateway on a real SQLite file, fed by the emulator's signed webhooks over HTTP.</summary>
public sealed class ArchiveServingTests(SqliteArchiveDatabases databases) : IClassFixture<SqliteArchiveDatabases>
{
    private const string ThreadQuery = """
        query($id: ID!, $first: Int) {
          conversation(id: $id) { messages(first: $first) { nodes { metaId message detailsAvailable detailsSource reactions { reaction } } } }
        }
        """;

    private const string MessageQuery = "query($id: ID!) { message(id: $id) { metaId message detailsAvailable detailsSource } }";

    [Fact]
    public async Task A_thread_of_45_messages_that_came_by_webhook_has_every_detail_25_from_the_archive_for_one_graph_call()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var archive = await databases.CreateEmptyAsync();
        await using var host = await StartAsync(emulator, archive);
        var thread = await host.ThreadByWebhookAsync(Open(archive), Platform.Messenger, 45);
        emulator.ResetRequests();

        var answer = await host.QueryAsync(ThreadQuery, new { id = thread.ConversationId, first = 45 });

        var nodes = Nodes(answer);
        Assert.Null(answer["errors"]);
        Assert.Equal(thread.NewestFirst, nodes.Select(node => node["metaId"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(1, 45).Reverse().Select(index => $"message {index}"), nodes.Select(node => node["message"]?.GetValue<string>()));
        Assert.All(nodes, node => Assert.True(node["detailsAvailable"]!.GetValue<bool>()));
        Assert.Equal([.. Enumerable.Repeat("GRAPH", 20), .. Enumerable.Repeat("ARCHIVE", 25)], nodes.Select(node => node["detailsSource"]!.GetValue<string>()));
        Assert.Single(host.UpstreamCalls);
    }

    [Fact]
    public async Task A_message_older_than_metas_window_is_read_by_id_from_the_archive_without_a_graph_call()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var archive = await databases.CreateEmptyAsync();
        await using var host = await StartAsync(emulator, archive);
        var thread = await host.ThreadByWebhookAsync(Open(archive), Platform.Messenger, 21);
        emulator.ResetRequests();

        var answer = await host.QueryAsync(MessageQuery, new { id = thread.Oldest });

        Assert.Equal("""{"metaId":"%","message":"message 1","detailsAvailable":true,"detailsSource":"ARCHIVE"}""".Replace("%", thread.Oldest),
            answer.At("data.message")!.Compact());
        Assert.Empty(host.UpstreamCalls);
    }

    [Fact]
    public async Task Inside_metas_window_graph_wins_over_what_the_archive_holds()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var archive = await databases.CreateEmptyAsync();
        var store = Open(archive);
        await using var host = await StartAsync(emulator, archive);
        var thread = await host.ThreadByWebhookAsync(store, Platform.Messenger, 21);
        var newest = thread.NewestFirst[0];
        await store.UpsertMessagesAsync([(await store.GetMessagesAsync([newest]))[newest].Message with { Text = "an older copy" }]);

        var inThread = await host.QueryAsync(ThreadQuery, new { id = thread.ConversationId, first = 21 });
        var byId = await host.QueryAsync(MessageQuery, new { id = newest });

        Assert.Equal("""{"metaId":"%","message":"message 21","detailsAvailable":true,"detailsSource":"GRAPH","reactions":null}""".Replace("%", newest),
            Nodes(inThread)[0].Compact());
        Assert.Equal("""{"metaId":"%","message":"message 21","detailsAvailable":true,"detailsSource":"GRAPH"}""".Replace("%", newest),
            byId.At("data.message")!.Compact());
    }

    /// <summary>The gateway's own sends come back as the Page's echo webhook (Meta sends one for every message a Page
    /// sends), which the archive keeps as it keeps a person's message.</summary>
    [Fact]
    public async Task A_message_the_page_sends_is_archived_from_its_echo()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var archive = await databases.CreateEmptyAsync();
        var store = Open(archive);
        await using var host = await StartAsync(emulator, archive);
        var thread = await host.ThreadByWebhookAsync(store, Platform.Messenger, 2);

        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        using var sent = await http.PostAsJsonAsync($"v25.0/{host.Page.PageId}/messages?access_token={Uri.EscapeDataString(host.Page.AccessToken)}",
            new { recipient = new { id = thread.PersonId }, messaging_type = "RESPONSE", message = new { text = "On its way!" } });
        var messageId = JsonNode.Parse(await sent.Content.ReadAsStringAsync())!["message_id"]!.GetValue<string>();
        await Eventually.TrueAsync(async () => (await store.GetMessagesAsync([messageId])).ContainsKey(messageId), TimeSpan.FromSeconds(30),
            "the echo to reach the archive");

        var row = (await store.GetMessagesAsync([messageId]))[messageId].Message;
        Assert.Equal((thread.ConversationId, "On its way!", host.Page.PageId, false), (row.ConversationId, row.Text, row.From?.Id, row.Deleted));
    }

    [Fact]
    public async Task A_message_sent_with_sendMessage_is_archived()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var archive = await databases.CreateEmptyAsync();
        var store = Open(archive);
        await using var host = await StartAsync(emulator, archive);
        var written = await host.PersonWritesAsync();

        var sent = (await host.SendAsync(new { conversationId = written.ConversationId, text = "It left the warehouse today." })).Payload();
        var messageId = sent["message"]!["metaId"]!.GetValue<string>();
        await Eventually.TrueAsync(async () => (await store.GetMessagesAsync([messageId])).ContainsKey(messageId), TimeSpan.FromSeconds(30),
            "the sent message to reach the archive");

        var row = (await store.GetMessagesAsync([messageId]))[messageId].Message;
        Assert.Equal((written.ConversationId, "It left the warehouse today.", host.Page.PageId, written.PersonId),
            (row.ConversationId, row.Text, row.From?.Id, row.To?.Single().Id));
    }

    [Fact]
    public async Task A_message_unsent_by_webhook_shows_no_text_from_graph_or_the_archive_and_its_row_keeps_none()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var archive = await databases.CreateEmptyAsync();
        var store = Open(archive);
        await using var host = await StartAsync(emulator, archive);
        var thread = await host.ThreadByWebhookAsync(store, Platform.Instagram, 21);

        await host.ChangeInboxAsync("unsends", new { pageId = host.Page.PageId, messageId = thread.Oldest });
        await Eventually.TrueAsync(async () => (await store.GetMessagesAsync([thread.Oldest]))[thread.Oldest].Message.Deleted,
            TimeSpan.FromSeconds(30), "the unsend to reach the archive");
        var byId = await host.QueryAsync(MessageQuery, new { id = thread.Oldest });
        var inThread = await host.QueryAsync(ThreadQuery, new { id = thread.ConversationId, first = 50 });

        Assert.Equal("""{"metaId":"%","message":null,"detailsAvailable":false,"detailsSource":"UNAVAILABLE"}""".Replace("%", thread.Oldest),
            byId.At("data.message")!.Compact());
        Assert.DoesNotContain("message 1\"", inThread.Compact());
        Assert.Equal(20, Nodes(inThread).Count);
        var row = (await store.GetMessagesAsync([thread.Oldest]))[thread.Oldest].Message;
        Assert.Equal((true, null, null), (row.Deleted, row.Text, row.Attachments));
    }

    [Fact]
    public async Task A_reaction_by_webhook_to_a_message_past_metas_window_is_served_from_the_archive()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var archive = await databases.CreateEmptyAsync();
        var store = Open(archive);
        await using var host = await StartAsync(emulator, archive);
        var thread = await host.ThreadByWebhookAsync(store, Platform.Messenger, 22);

        await host.ChangeInboxAsync("reactions", new { pageId = host.Page.PageId, messageId = thread.Oldest, reaction = "love" });
        await Eventually.TrueAsync(async () => (await store.GetMessagesAsync([thread.Oldest]))[thread.Oldest].Message.Reactions is [_],
            TimeSpan.FromSeconds(30), "the reaction to reach the archive");
        var answer = await host.QueryAsync(ThreadQuery, new { id = thread.ConversationId, first = 22 });

        Assert.Equal("""{"metaId":"%","message":"message 1","detailsAvailable":true,"detailsSource":"ARCHIVE","reactions":[{"reaction":"love"}]}""".Replace("%", thread.Oldest),
            Nodes(answer)[^1].Compact());
    }

    [Fact]
    public async Task Page_bs_token_never_reads_page_as_archive()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var archive = await databases.CreateEmptyAsync();
        await using var host = await StartAsync(emulator, archive);
        var thread = await host.ThreadByWebhookAsync(Open(archive), Platform.Messenger, 21);
        var pageB = emulator.Seed[1].AccessToken;

        var byId = await host.QueryAsync(MessageQuery, new { id = thread.Oldest }, pageB);
        const string nodeQuery = "query($id: ID!) { node(id: $id) { ... on Message { message detailsSource } } }";
        var globalId = GlobalIds.Encode(GlobalIds.Message, thread.Oldest);
        var asNode = await host.QueryAsync(nodeQuery, new { id = globalId }, pageB);
        var asThread = await host.QueryAsync(ThreadQuery, new { id = thread.ConversationId, first = 21 }, pageB);
        var asOwner = await host.QueryAsync(MessageQuery, new { id = thread.Oldest });
        var asOwnersNode = await host.QueryAsync(nodeQuery, new { id = globalId });

        Assert.All([byId, asNode, asThread], answer =>
        {
            Assert.DoesNotContain("message 1\"", answer.Compact());
            Assert.DoesNotContain("ARCHIVE", answer.Compact());
        });
        Assert.Equal("ARCHIVE", asOwner.At("data.message.detailsSource")!.GetValue<string>());
        // The node path reaches the archive for its owner: Page B's answer above is a refusal, not a path that never reads it.
        Assert.Equal("ARCHIVE", asOwnersNode.At("data.node.detailsSource")!.GetValue<string>());
    }

    private static List<JsonNode> Nodes(JsonObject answer) => [.. answer.At("data.conversation.messages.nodes")!.AsArray().Select(node => node!)];
}
