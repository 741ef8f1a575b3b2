using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Relay;

/// <summary>Relay Global Object Identification: opaque ids unique across types, <c>node</c>/<c>nodes</c> through the
/// loaders, <c>metaId</c> for Meta's own id, and id arguments and federation keys taking either form.</summary>
public sealed class GlobalIdTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    private const string Inbox = """
        query($pageId: ID!) { page(id: $pageId) { id metaId conversations(platform: MESSENGER, first: 3) { nodes {
          id metaId snippet participants { id metaId name } messages(first: 2) { nodes { id metaId message } } } } } }
        """;

    [Fact]
    public async Task A_page_and_the_participant_that_is_that_page_have_different_global_ids()
    {
        var host = await hosts.ForTestAsync();

        var page = (await host.QueryAsync(Inbox, new { pageId = host.Page.PageId })).At("data.page")!;

        Assert.Equal(host.Page.PageId, page["metaId"]!.GetValue<string>());
        var pageAsParticipant = page.At("conversations.nodes.0.participants")!.AsArray()
            .Single(p => p!["metaId"]!.GetValue<string>() == host.Page.PageId)!;
        Assert.NotEqual(page["id"]!.GetValue<string>(), pageAsParticipant["id"]!.GetValue<string>());
        // HotChocolate's convention: base64 of `TypeName:id`.
        Assert.Equal($"Page:{host.Page.PageId}", Decode(page["id"]!));
        Assert.Equal($"Participant:{host.Page.PageId}", Decode(pageAsParticipant["id"]!));
        var conversation = page.At("conversations.nodes.0")!;
        Assert.Equal($"Conversation:{conversation["metaId"]}", Decode(conversation["id"]!));
        Assert.Equal($"Message:{conversation.At("messages.nodes.0.metaId")}", Decode(conversation.At("messages.nodes.0.id")!));
    }

    [Fact]
    public async Task Node_reads_back_a_page_a_conversation_a_message_and_a_participant_by_their_global_ids()
    {
        var host = await hosts.ForTestAsync();
        var conversation = (await host.QueryAsync(Inbox, new { pageId = host.Page.PageId })).At("data.page.conversations.nodes.0")!;
        var message = conversation.At("messages.nodes.0")!;
        var person = conversation["participants"]!.AsArray().First(p => p!["metaId"]!.GetValue<string>() != host.Page.PageId)!;
        var pageId = (await host.QueryAsync(Inbox, new { pageId = host.Page.PageId })).At("data.page.id")!.GetValue<string>();
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync("""
            query($page: ID!, $conversation: ID!, $message: ID!, $person: ID!) {
              page: node(id: $page) { __typename id ... on Page { metaId } }
              conversation: node(id: $conversation) { __typename id ... on Conversation { snippet } }
              message: node(id: $message) { __typename id ... on Message { message } }
              person: node(id: $person) { __typename id ... on Participant { metaId } }
            }
            """, new { page = pageId, conversation = conversation["id"]!.GetValue<string>(), message = message["id"]!.GetValue<string>(), person = person["id"]!.GetValue<string>() });

        Assert.Null(result["errors"]);
        Assert.Equal("Page", result.At("data.page.__typename")!.GetValue<string>());
        Assert.Equal(host.Page.PageId, result.At("data.page.metaId")!.GetValue<string>());
        Assert.Equal(conversation["id"]!.GetValue<string>(), result.At("data.conversation.id")!.GetValue<string>());
        Assert.Equal(conversation["snippet"]!.GetValue<string>(), result.At("data.conversation.snippet")!.GetValue<string>());
        Assert.Equal("Message", result.At("data.message.__typename")!.GetValue<string>());
        Assert.Equal(message["message"]!.GetValue<string>(), result.At("data.message.message")!.GetValue<string>());
        Assert.Equal("Participant", result.At("data.person.__typename")!.GetValue<string>());
        Assert.Equal(person["metaId"]!.GetValue<string>(), result.At("data.person.metaId")!.GetValue<string>());
        // One `ids=` read for the conversation, one for the message; the Page and the participant cost nothing.
        Assert.Equal(2, host.UpstreamCalls.Count);
    }

    [Fact]
    public async Task Nodes_of_forty_messages_are_one_graph_call()
    {
        var host = await hosts.ForTestAsync();
        var ids = await Messages.MessageQueriesForTests.RecentMessageIdsAsync(host, 40);
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync("query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Message { from { id } message } } }", new { ids });

        Assert.Null(result["errors"]);
        var nodes = result.At("data.nodes")!.AsArray();
        Assert.Equal(ids, nodes.Select(n => n!["id"]!.GetValue<string>()));
        Assert.All(nodes, n => Assert.NotNull(n!["from"]));
        var call = Assert.Single(host.UpstreamCalls);
        Assert.Contains("ids=", call.Query);
    }

    [Fact]
    public async Task Id_arguments_take_the_global_id_or_metaId_alike()
    {
        var host = await hosts.ForTestAsync();
        var page = (await host.QueryAsync(Inbox, new { pageId = host.Page.PageId })).At("data.page")!;
        var conversation = page.At("conversations.nodes.0")!;
        var message = conversation.At("messages.nodes.0")!;
        var person = conversation["participants"]!.AsArray().First(p => p!["metaId"]!.GetValue<string>() != host.Page.PageId)!;
        const string Query = """
            query($page: ID!, $conversation: ID!, $message: ID!, $user: ID!) {
              page(id: $page) { id conversations(platform: MESSENGER, userId: $user, first: 1) { nodes { id } } }
              conversation(id: $conversation) { id snippet }
              message(id: $message) { id message }
            }
            """;

        var byGlobalId = await host.QueryAsync(Query, new
        {
            page = page["id"]!.GetValue<string>(), conversation = conversation["id"]!.GetValue<string>(),
            message = message["id"]!.GetValue<string>(), user = person["id"]!.GetValue<string>(),
        });
        var byMetaId = await host.QueryAsync(Query, new
        {
            page = page["metaId"]!.GetValue<string>(), conversation = conversation["metaId"]!.GetValue<string>(),
            message = message["metaId"]!.GetValue<string>(), user = person["metaId"]!.GetValue<string>(),
        });

        Assert.Null(byGlobalId["errors"]);
        Assert.Equal(byMetaId.Compact(), byGlobalId.Compact());
        Assert.Equal(page["id"]!.GetValue<string>(), byGlobalId.At("data.page.id")!.GetValue<string>());
        Assert.Equal(conversation["id"]!.GetValue<string>(), byGlobalId.At("data.page.conversations.nodes.0.id")!.GetValue<string>());
        Assert.Equal(conversation["snippet"]!.GetValue<string>(), byGlobalId.At("data.conversation.snippet")!.GetValue<string>());
        Assert.Equal(message["message"]!.GetValue<string>(), byGlobalId.At("data.message.message")!.GetValue<string>());
    }

    [Fact]
    public async Task The_global_id_of_another_type_is_refused_before_any_graph_call()
    {
        var host = await hosts.ForTestAsync();
        var conversationId = Encode($"Conversation:t_{new string('1', 15)}");
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync("query($id: ID!) { page(id: $id) { id } message(id: $id) { id } }", new { id = conversationId });

        var errors = result["errors"]!.AsArray();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("INVALID_ID", e.At("extensions.code")!.GetValue<string>()));
        Assert.Contains("global id of a Conversation, not of a Page", errors[0]!["message"]!.GetValue<string>());
        Assert.Empty(host.UpstreamCalls);
    }

    [Fact]
    public async Task Node_refuses_a_meta_id_and_a_global_id_hiding_a_path()
    {
        var host = await hosts.ForTestAsync();

        var result = await host.QueryAsync("query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }",
            new { a = "t_123456789012345", b = Encode("Message:m_1/../../me?fields=access_token") });

        var errors = result["errors"]!.AsArray();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("INVALID_ID", e.At("extensions.code")!.GetValue<string>()));
        Assert.Contains("takes global ids", errors.Single(e => e.At("path.0")!.GetValue<string>() == "a")!["message"]!.GetValue<string>());
        Assert.Empty(host.UpstreamCalls);
    }

    [Fact]
    public async Task Entities_resolve_by_id_and_by_metaId_in_one_graph_call()
    {
        var host = await hosts.ForTestAsync();
        var conversations = (await host.QueryAsync(Inbox, new { pageId = host.Page.PageId })).At("data.page.conversations.nodes")!.AsArray();
        var messages = conversations.SelectMany(c => c.At("messages.nodes")!.AsArray()).ToList();
        host.Emulator.ResetRequests();

        var representations = messages.Select((m, i) => i % 2 == 0
            ? (object)new { __typename = "Message", id = m!["id"]!.GetValue<string>() }
            : new { __typename = "Message", metaId = m!["metaId"]!.GetValue<string>() });
        var result = await host.QueryAsync("query($r: [_Any!]!) { _entities(representations: $r) { ... on Message { id metaId message } } }",
            new { r = representations });

        Assert.Null(result["errors"]);
        Assert.Equal(
            messages.Select(m => new JsonObject { ["id"] = m!["id"]!.GetValue<string>(), ["metaId"] = m["metaId"]!.GetValue<string>(), ["message"] = m["message"]!.GetValue<string>() }.Compact()),
            result.At("data._entities")!.AsArray().Select(e => e!.Compact()));
        var call = Assert.Single(host.UpstreamCalls);
        Assert.Contains("ids=", call.Query);
    }

    private static string Decode(JsonNode id) => Encoding.UTF8.GetString(Convert.FromBase64String(id.GetValue<string>()));

    private static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
