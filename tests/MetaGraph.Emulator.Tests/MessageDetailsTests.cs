using System.Net;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>Every message is listed, but only the 20 newest of a conversation have details.</summary>
public sealed class MessageDetailsTests : EmulatorTest
{
    [Theory]
    [InlineData(InboxPlatform.Messenger)]
    [InlineData(InboxPlatform.Instagram)]
    public async Task The_20th_newest_message_has_details_and_the_21st_is_reported_deleted(InboxPlatform platform)
    {
        var conversation = LongConversation(platform);

        var twentieth = await GetAsync($"{conversation.Messages[19].Id}?fields=id,created_time,from,to,message");
        var twentyFirst = await GetAsync($"{conversation.Messages[20].Id}?fields=id,created_time,from,to,message");

        Assert.Equal(HttpStatusCode.OK, twentieth.Status);
        Assert.Equal(conversation.Messages[19].Text, twentieth.Json["message"]!.GetValue<string>());
        var error = twentyFirst.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Equal(9000001, error["error_subcode"]!.GetValue<int>());
        Assert.Equal("OAuthException", error["type"]!.GetValue<string>());
        Assert.Equal("This Message has been deleted by the user or the business.", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_old_message_is_reported_deleted_even_with_default_fields()
    {
        var answer = await GetAsync(LongConversation().Messages[^1].Id);

        Assert.Equal(9000001, answer.AssertError(HttpStatusCode.BadRequest, 100)["error_subcode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Expansion_lists_older_messages_with_only_id_and_created_time()
    {
        var conversation = LongConversation();

        var messages = (await GetAsync($"{conversation.Id}?fields=messages.limit(30){{id,created_time,from,message,attachments,tags}}"))
            .Json["messages"]!["data"]!.AsArray();

        Assert.Equal(30, messages.Count);
        Assert.All(messages.Take(20), m => Assert.Contains("from", m!.AsObject().Select(p => p.Key)));
        Assert.All(messages.Skip(20), m => Assert.Equal(["id", "created_time"], m!.AsObject().Select(p => p.Key)));
    }

    [Fact]
    public async Task The_messages_edge_applies_the_same_rule()
    {
        var conversation = LongConversation();

        var messages = (await GetAsync($"{conversation.Id}/messages?limit=5&fields=message&after={Uri.EscapeDataString(await CursorOf(conversation, 19))}"))
            .Json["data"]!.AsArray();

        Assert.All(messages, m => Assert.Equal(["id"], m!.AsObject().Select(p => p.Key)));
        Assert.Equal(conversation.Messages.Skip(20).Take(5).Select(m => m.Id), messages.Select(m => m!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Every_seed_has_long_conversations_on_both_platforms()
    {
        await Task.CompletedTask;
        foreach (var page in Server.Data.Pages)
        {
            Assert.Contains(page.Folder(InboxPlatform.Messenger), c => c.MessageCount > 20);
            Assert.Contains(page.Folder(InboxPlatform.Instagram), c => c.MessageCount > 20);
        }
        Assert.All(Server.Data.Pages.SelectMany(p => p.Conversations).SelectMany(c => c.Messages),
            m => Assert.Equal(m.Position < 20, m.HasDetails));
    }

    /// <summary>The cursor of the message at <paramref name="position"/>, as the edge hands it out.</summary>
    private async Task<string> CursorOf(ConversationData conversation, int position)
        => (await GetAsync($"{conversation.Id}/messages?limit={position + 1}")).Json["paging"]!["cursors"]!["after"]!.GetValue<string>();
}
