using System.Net;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.FieldExpansion;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

public sealed class FieldSelectionParserTests
{
    [Fact]
    public void Parses_edges_with_modifiers_and_nested_subfields_tolerating_whitespace()
    {
        var fields = FieldSelection.Parse(" id , messages.limit( 20 ).after(QVFI_a-1) { id, from{name} ,attachments{image_data{url}} } ,updated_time ")!;

        Assert.Equal(["id", "messages", "updated_time"], fields.Select(f => f.Name));
        var messages = fields[1];
        Assert.Equal(20, messages.Limit);
        Assert.Equal("QVFI_a-1", messages.After);
        Assert.Null(messages.Before);
        Assert.Equal(["id", "from", "attachments"], messages.Children!.Select(f => f.Name));
        Assert.Equal("url", messages.Children![2].Children![0].Children![0].Name);
    }

    [Fact]
    public void Formats_back_to_fields_syntax()
    {
        const string text = "id,messages.limit(5).before(QVFI){id,from{name},attachments{image_data{url}}}";

        Assert.Equal(text, FieldSelection.Format(FieldSelection.Parse(text)!));
    }

    [Fact]
    public void Reads_a_repeated_field_once_and_no_field_as_none()
    {
        Assert.Equal(["id", "message"], FieldSelection.Parse("id,message,id")!.Select(f => f.Name));
        Assert.Null(FieldSelection.Parse(" "));
        Assert.Null(FieldSelection.Parse(","));
    }
}

public sealed class FieldExpansionTests : EmulatorTest
{
    [Theory]
    [InlineData("id,colour", "(#100) Tried accessing nonexisting field (colour) on node type (Message)")]
    [InlineData("from{colour}", "(#100) Tried accessing nonexisting field (colour) on node type (User)")]
    [InlineData("attachments{image_data{colour}}", "(#100) Tried accessing nonexisting field (colour) on node type (ImageData)")]
    public async Task An_unknown_field_is_error_100_naming_field_and_node_type(string fields, string message)
    {
        var answer = await GetAsync($"{PageData.Conversations[0].Messages[0].Id}?fields={fields}");

        Assert.Equal(message, answer.AssertError(HttpStatusCode.BadRequest, 100)["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_field_fails_even_an_empty_listing()
    {
        var answer = await GetAsync($"{Page.PageId}/conversations?user_id=nobody&fields=id,colour");

        answer.AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Fact]
    public async Task An_unknown_edge_is_a_nonexisting_field()
    {
        var answer = await GetAsync($"{PageData.Conversations[0].Id}/nonexisting_edge");

        Assert.Equal("(#100) Tried accessing nonexisting field (nonexisting_edge) on node type (Conversation)",
            answer.AssertError(HttpStatusCode.BadRequest, 100)["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task One_call_returns_conversations_with_their_newest_messages_and_details()
    {
        var answer = await GetAsync($"{Page.PageId}/conversations?platform=instagram&limit=3" +
            "&fields=id,updated_time,participants,messages.limit(20){id,created_time,from,to,message,attachments}");

        var conversations = PageData.Folder(InboxPlatform.Instagram).Take(3).ToList();
        for (var i = 0; i < 3; i++)
        {
            var messages = answer.Json["data"]![i]!["messages"]!["data"]!.AsArray();
            var expected = conversations[i].Messages.Take(20).ToList();
            Assert.Equal(expected.Select(m => m.Id), messages.Select(m => m!["id"]!.GetValue<string>()));
            Assert.Equal(expected.Select(m => m.From.Username), messages.Select(m => m!["from"]!["username"]!.GetValue<string>()));
            Assert.Equal(expected.Select(m => m.Text), messages.Select(m => m!["message"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Page_and_instagram_account_nodes_answer_their_public_fields()
    {
        var page = (await GetAsync(Page.PageId)).Json;
        var instagram = (await GetAsync(Page.InstagramAccountId)).Json;

        Assert.Equal(PageData.Name, page["name"]!.GetValue<string>());
        Assert.Equal(PageData.InstagramUsername, instagram["username"]!.GetValue<string>());
    }
}
