using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>The JSON shapes Meta sends (property names, nesting, timestamp format, omitted empty fields), object by object.</summary>
public sealed partial class ShapeTests : EmulatorTest
{
    private const string MessageDetails = "id,created_time,from,to,message,sticker,attachments,reply_to,tags,shares,reactions,story,is_unsupported";

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$")]
    private static partial Regex Timestamp();

    private static string[] Keys(JsonNode? node) => node!.AsObject().Select(p => p.Key).ToArray();

    [Fact]
    public async Task A_conversation_list_item_has_id_and_updated_time_by_default()
    {
        var answer = await GetAsync($"{Page.PageId}/conversations?platform=messenger&limit=3");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("application/json; charset=UTF-8", answer.ContentType);
        Assert.Equal(["data", "paging"], Keys(answer.Json));
        Assert.All(answer.Json["data"]!.AsArray(), item =>
        {
            Assert.Equal(["id", "updated_time"], Keys(item));
            Assert.Matches("^t_[0-9]{15}$", item!["id"]!.GetValue<string>());
            Assert.Matches(Timestamp(), item["updated_time"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task A_conversation_with_every_field_has_meta_property_names()
    {
        var conversation = PageData.Folder(InboxPlatform.Messenger)[0];

        var json = (await GetAsync($"{conversation.Id}?fields=id,updated_time,message_count,unread_count,snippet,can_reply,is_subscribed," +
            "link,name,folder,participants,senders,former_participants,scoped_thread_key")).Json;

        // name has no data in a one-to-one thread, so it is omitted; former_participants is an empty list, as Meta sends it.
        Assert.Equal(["id", "updated_time", "message_count", "unread_count", "snippet", "can_reply", "is_subscribed", "link", "folder",
            "participants", "senders", "former_participants", "scoped_thread_key"], Keys(json));
        Assert.Equal("""{"data":[]}""", json["former_participants"]!.ToJsonString());
        Assert.Matches($"^/{Page.PageId}/inbox/[1-9][0-9]{{14}}/$", json["link"]!.GetValue<string>());
        Assert.DoesNotContain(conversation.Id[2..], json["link"]!.GetValue<string>());
        Assert.Equal(conversation.MessageCount, json["message_count"]!.GetValue<int>());
        Assert.Equal(conversation.UnreadCount, json["unread_count"]!.GetValue<int>());
        Assert.Equal(conversation.Snippet, json["snippet"]!.GetValue<string>());
        Assert.Equal("inbox", json["folder"]!.GetValue<string>());
        Assert.Matches(Timestamp(), json["updated_time"]!.GetValue<string>());
        Assert.Equal(["data"], Keys(json["participants"]));
        Assert.Equal([conversation.Customer.Id, Page.PageId],
            json["participants"]!["data"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Messenger_participants_have_name_and_synthetic_email_and_instagram_ones_a_username()
    {
        var messenger = (await GetAsync($"{PageData.Folder(InboxPlatform.Messenger)[0].Id}?fields=participants")).Json;
        var instagram = (await GetAsync($"{PageData.Folder(InboxPlatform.Instagram)[0].Id}?fields=participants")).Json;

        Assert.All(messenger["participants"]!["data"]!.AsArray(), p =>
        {
            Assert.Equal(["name", "email", "id"], Keys(p));
            Assert.Equal($"{p!["id"]}@facebook.com", p["email"]!.GetValue<string>());
        });
        Assert.All(instagram["participants"]!["data"]!.AsArray(), p =>
        {
            Assert.Equal(["username", "id", "user_id"], Keys(p));
            Assert.Matches("^[0-9]{17}$", p!["user_id"]!.GetValue<string>());
            Assert.NotEqual(p["id"]!.GetValue<string>(), p["user_id"]!.GetValue<string>());
        });
        Assert.Equal(Page.InstagramAccountId, instagram["participants"]!["data"]![1]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_node_always_carries_its_id_and_participant_subfields_are_honoured()
    {
        var conversation = PageData.Folder(InboxPlatform.Messenger)[0];

        var json = (await GetAsync($"{conversation.Id}?fields=participants{{name}},unread_count")).Json;

        Assert.Equal(["participants", "unread_count", "id"], Keys(json));
        Assert.All(json["participants"]!["data"]!.AsArray(), p => Assert.Equal(["name", "id"], Keys(p)));
    }

    [Fact]
    public async Task A_message_has_from_to_and_attachments_shaped_like_meta()
    {
        var message = MessagesWithDetails().First(m => m.Attachments.Any(a => a is { Kind: AttachmentKind.Image, Animated: false }));

        var json = (await GetAsync($"{message.Id}?fields={MessageDetails}")).Json;

        Assert.Equal(message.Id, json["id"]!.GetValue<string>());
        Assert.Matches(Timestamp(), json["created_time"]!.GetValue<string>());
        Assert.Equal(["name", "email", "id"], Keys(json["from"]));
        Assert.Equal(["data"], Keys(json["to"]));
        Assert.Equal(["name", "email", "id"], Keys(json["to"]!["data"]![0]));
        Assert.Equal(message.Text, json["message"]!.GetValue<string>());
        Assert.Equal(["data", "paging"], Keys(json["attachments"]));
        var attachment = json["attachments"]!["data"]!.AsArray().First(a => a!["mime_type"]!.GetValue<string>() == "image/jpeg")!;
        Assert.Equal(["id", "mime_type", "name", "size", "image_data"], Keys(attachment));
        Assert.Equal(["width", "height", "max_width", "max_height", "url", "preview_url", "image_type", "render_as_sticker"],
            Keys(attachment["image_data"]));
        Assert.Equal("image/jpeg", attachment["mime_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Video_and_file_attachments_have_video_data_and_file_url()
    {
        var video = MessagesWithDetails().First(m => m.Attachments.Any(a => a.Kind == AttachmentKind.Video));
        var file = MessagesWithDetails().First(m => m.Attachments.Any(a => a.Kind == AttachmentKind.File));

        var videoJson = (await GetAsync($"{video.Id}?fields=attachments{{id,mime_type,video_data{{url,preview_url,width,height,length}}}}")).Json;
        var fileJson = (await GetAsync($"{file.Id}?fields=attachments{{name,size,file_url}}")).Json;

        Assert.Equal(["url", "preview_url", "width", "height", "length"], Keys(videoJson["attachments"]!["data"]![0]!["video_data"]));
        Assert.Equal(["name", "size", "file_url", "id"], Keys(fileJson["attachments"]!["data"]![0]));
    }

    [Fact]
    public async Task Fields_without_data_are_omitted_and_an_empty_text_is_an_empty_string()
    {
        var plain = MessagesWithDetails().First(m => m.Text.Length == 0 && m.Attachments.Count == 0 && m.Sticker is null
            && m.ReplyTo is null && !m.IsUnsupported && m.Tags.Count > 0 && m.Shares.Count == 0 && m.Story is null && m.Reactions.Count == 0);

        var json = (await GetAsync($"{plain.Id}?fields={MessageDetails}")).Json;

        Assert.Equal(["id", "created_time", "from", "to", "message", "tags"], Keys(json));
        Assert.Equal("", json["message"]!.GetValue<string>());
        Assert.DoesNotContain("null", json.ToJsonString());
    }

    [Fact]
    public async Task Stickers_replies_tags_and_unsupported_messages_have_their_shapes()
    {
        var sticker = MessagesWithDetails().First(m => m.Sticker is not null);
        var reply = MessagesWithDetails().First(m => m.ReplyTo is not null);

        var stickerJson = (await GetAsync($"{sticker.Id}?fields=message,sticker,tags")).Json;
        var replyJson = (await GetAsync($"{reply.Id}?fields=reply_to")).Json;

        Assert.Equal("", stickerJson["message"]!.GetValue<string>());
        Assert.StartsWith("https://", stickerJson["sticker"]!.GetValue<string>());
        Assert.Equal(["name"], Keys(stickerJson["tags"]!["data"]![0]));
        Assert.Equal(["mid", "is_self_reply"], Keys(replyJson["reply_to"]));
        Assert.Equal(reply.ReplyTo!.MessageId, replyJson["reply_to"]!["mid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Instagram_ids_look_like_metas()
    {
        var conversation = PageData.Folder(InboxPlatform.Instagram)[0];

        var json = (await GetAsync($"{conversation.Id}/messages?limit=1")).Json;

        Assert.StartsWith("aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6", conversation.Id);
        Assert.StartsWith("aWdfZAG1", json["data"]![0]!["id"]!.GetValue<string>());
        Assert.All(PageData.Folder(InboxPlatform.Messenger).SelectMany(c => c.Messages), m => Assert.StartsWith("m_", m.Id));
    }

    [Fact]
    public async Task A_paging_block_has_cursors_and_absolute_links_that_carry_the_token()
    {
        var first = (await GetAsync($"{Page.PageId}/conversations?platform=messenger&limit=5")).Json;
        var second = (await GetUrlAsync(first["paging"]!["next"]!.GetValue<string>())).Json;

        Assert.Equal(["cursors", "next"], Keys(first["paging"]));
        Assert.Equal(["before", "after"], Keys(first["paging"]!["cursors"]));
        Assert.Equal(["cursors", "previous", "next"], Keys(second["paging"]));
        var next = new Uri(first["paging"]!["next"]!.GetValue<string>());
        Assert.Equal(Server.BaseAddress.Authority, next.Authority);
        Assert.Equal($"/{Version}/{Page.PageId}/conversations", next.AbsolutePath);
        Assert.Contains($"access_token={Page.AccessToken}", next.Query);
        Assert.Contains("platform=messenger", next.Query);
        Assert.Contains("limit=5", next.Query);
        Assert.Matches("^[A-Za-z0-9_-]{16,}$", first["paging"]!["cursors"]!["after"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_nested_messages_edge_is_a_page_whose_next_link_is_the_standalone_edge()
    {
        var json = (await GetAsync($"{Page.PageId}/conversations?platform=messenger&limit=1&fields=messages.limit(2){{id,message}}")).Json;

        var conversation = json["data"]![0]!;
        Assert.Equal(["messages", "id"], Keys(conversation));
        Assert.Equal(["data", "paging"], Keys(conversation["messages"]));
        Assert.Equal(2, conversation["messages"]!["data"]!.AsArray().Count);
        var next = new Uri(conversation["messages"]!["paging"]!["next"]!.GetValue<string>());
        Assert.Equal($"/{Version}/{conversation["id"]}/messages", next.AbsolutePath);
        Assert.Contains("fields=id%2Cmessage", next.Query);
        var page2 = (await GetUrlAsync(next.ToString())).Json;
        Assert.Equal(2, page2["data"]!.AsArray().Count);
        Assert.Equal(["id", "message"], Keys(page2["data"]![0]));
    }

    [Fact]
    public async Task A_batch_item_has_code_headers_and_a_json_string_body()
    {
        var answer = await BatchAsync(BatchOf($"{Page.PageId}/conversations?limit=1"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var item = answer.Json.AsArray().Single()!;
        Assert.Equal(["code", "headers", "body"], Keys(item));
        Assert.Equal(200, item["code"]!.GetValue<int>());
        Assert.Equal("""[{"name":"Facebook-API-Version","value":"v25.0"},{"name":"Content-Type","value":"text/javascript; charset=UTF-8"},""" +
            """{"name":"Pragma","value":"no-cache"},{"name":"Access-Control-Allow-Origin","value":"*"},""" +
            """{"name":"Cache-Control","value":"private, no-cache, no-store, must-revalidate"},{"name":"Expires","value":"Sat, 01 Jan 2000 00:00:00 GMT"}]""",
            item["headers"]!.ToJsonString());
        Assert.Equal(["data", "paging"], Keys(JsonNode.Parse(item["body"]!.GetValue<string>())));
    }

    [Fact]
    public async Task An_error_body_is_metas_error_object()
    {
        var answer = await GetAsync("t_000000000000000");

        var error = answer.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Equal(["message", "type", "code", "error_subcode", "fbtrace_id"], Keys(error));
        Assert.Equal("GraphMethodException", error["type"]!.GetValue<string>());
        Assert.Equal(33, error["error_subcode"]!.GetValue<int>());
    }

    private IEnumerable<MessageData> MessagesWithDetails()
        => PageData.Conversations.SelectMany(c => c.Messages).Where(m => m.HasDetails);
}
