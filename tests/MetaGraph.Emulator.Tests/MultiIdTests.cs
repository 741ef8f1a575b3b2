using System.Net;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary><c>GET /?ids=a,b,c</c>: an object keyed by id, at most 50 ids, and one failing id fails the whole read.</summary>
public sealed class MultiIdTests : EmulatorTest
{
    private List<string> NewestMessageIds(int count)
        => PageData.Conversations.SelectMany(c => c.Messages.Take(5)).Select(m => m.Id).Take(count).ToList();

    [Fact]
    public async Task Reads_50_ids_in_one_call_keyed_by_id()
    {
        var ids = NewestMessageIds(50);

        var answer = await GetAsync($"?ids={string.Join(',', ids)}&fields=id,message");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(ids, answer.Json.AsObject().Select(p => p.Key));
        Assert.All(ids, id => Assert.Equal(id, answer.Json[id]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task More_than_50_ids_is_an_error()
    {
        var answer = await GetAsync($"?ids={string.Join(',', NewestMessageIds(51))}");

        Assert.Equal("(#100) Too many IDs. Maximum: 50. Provided: 51.", answer.AssertError(HttpStatusCode.BadRequest, 100)["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mixes_conversations_and_messages_and_collapses_duplicates()
    {
        var conversation = PageData.Folder(InboxPlatform.Instagram)[0];
        var message = conversation.Messages[0];

        var answer = await GetAsync($"?ids={conversation.Id},{message.Id},{conversation.Id}&fields=id");

        Assert.Equal([conversation.Id, message.Id], answer.Json.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Nested_edges_expand_inside_a_multi_id_read()
    {
        var conversations = PageData.Folder(InboxPlatform.Messenger).Take(3).ToList();

        var answer = await GetAsync($"?ids={string.Join(',', conversations.Select(c => c.Id))}&fields=messages.limit(2){{id,created_time}}");

        Assert.All(conversations, c => Assert.Equal(c.Messages.Take(2).Select(m => m.Id),
            answer.Json[c.Id]!["messages"]!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>())));
    }

    [Fact]
    public async Task One_message_without_details_fails_the_whole_read()
    {
        var conversation = LongConversation();

        var answer = await GetAsync($"?ids={conversation.Messages[0].Id},{conversation.Messages[25].Id}&fields=id,message");

        Assert.Equal(9000001, answer.AssertError(HttpStatusCode.BadRequest, 100)["error_subcode"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_unknown_id_fails_the_whole_read_naming_it()
    {
        var answer = await GetAsync($"?ids={NewestMessageIds(1)[0]},m_nonexistent");

        Assert.Contains("m_nonexistent", answer.AssertError(HttpStatusCode.NotFound, 803)["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_pages_conversation_fails_the_whole_read()
    {
        var others = Server.Data.Pages[1].Conversations[0];

        var answer = await GetAsync($"?ids={NewestMessageIds(1)[0]},{others.Id}");

        Assert.Equal(33, answer.AssertError(HttpStatusCode.BadRequest, 100)["error_subcode"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_field_unknown_to_one_node_type_fails_the_read()
    {
        var conversation = PageData.Conversations[0];

        var answer = await GetAsync($"?ids={conversation.Id},{conversation.Messages[0].Id}&fields=id,message");

        Assert.Equal("(#100) Tried accessing nonexisting field (message) on node type (Conversation)",
            answer.AssertError(HttpStatusCode.BadRequest, 100)["message"]!.GetValue<string>());
    }
}
