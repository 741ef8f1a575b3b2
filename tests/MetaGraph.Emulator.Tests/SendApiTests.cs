using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>The Send API, <c>POST /{page-id}/messages</c>: what a send answers and what it changes in the inbox, in Meta's
/// request shapes (JSON, or form fields carrying JSON as Meta's reference writes them).</summary>
public sealed class SendApiTests : EmulatorTest
{
    private const string ThreadFields = "unread_count,snippet,message_count,updated_time,messages.limit(1){id,created_time,from,to,message,tags}";

    [Fact]
    public async Task A_text_reply_answers_recipient_and_message_ids_and_becomes_the_newest_message_of_the_thread()
    {
        var written = await PersonWritesAsync();
        var person = written["userId"]!.GetValue<string>();
        var conversationId = written["conversationId"]!.GetValue<string>();

        var answer = await SendTextAsync(person, "On its way!");
        var thread = (await GetAsync($"{conversationId}?fields={ThreadFields}")).Json;
        var top = (await GetAsync($"{Page.PageId}/conversations?limit=1")).Json["data"]![0]!;

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(["recipient_id", "message_id"], answer.Json.AsObject().Select(p => p.Key));
        Assert.Equal(person, answer.Json["recipient_id"]!.GetValue<string>());
        Assert.Matches("^m_[A-Za-z0-9_-]{86}$", answer.Json["message_id"]!.GetValue<string>());
        var newest = thread["messages"]!["data"]![0]!;
        Assert.Equal(answer.Json["message_id"]!.GetValue<string>(), newest["id"]!.GetValue<string>());
        Assert.Equal(Page.PageId, newest["from"]!["id"]!.GetValue<string>());
        Assert.Equal(person, newest["to"]!["data"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("On its way!", newest["message"]!.GetValue<string>());
        Assert.Equal(["sent", "source:page_platform_api"], newest["tags"]!["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal("On its way!", thread["snippet"]!.GetValue<string>());
        Assert.Equal(2, thread["message_count"]!.GetValue<int>());
        Assert.Equal(0, thread["unread_count"]!.GetValue<int>());
        Assert.Equal(newest["created_time"]!.GetValue<string>(), thread["updated_time"]!.GetValue<string>());
        Assert.Equal(conversationId, top["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Form_fields_carry_json_values_even_single_quoted_as_metas_reference_writes_them()
    {
        var person = (await PersonWritesAsync())["userId"]!.GetValue<string>();
        var form = new Dictionary<string, string>
        {
            ["recipient"] = $"{{'id':'{person}'}}",
            ["messaging_type"] = "RESPONSE",
            ["message"] = "{'text':'hello, world'}",
            ["access_token"] = Page.AccessToken,
        };

        var answer = await SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{Version}/{Page.PageId}/messages") { Content = new FormUrlEncodedContent(form) });
        var sent = await GetAsync($"{answer.Json["message_id"]}?fields=message");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("hello, world", sent.Json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Me_messages_sends_as_the_tokens_page_with_a_bearer_token()
    {
        var person = (await PersonWritesAsync())["userId"]!.GetValue<string>();
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Version}/me/messages")
        {
            Content = JsonContent.Create(new { recipient = new { id = person }, messaging_type = "RESPONSE", message = new { text = "Hello" } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Page.AccessToken);

        var answer = await SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(person, answer.Json["recipient_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_attachment_is_sent_by_url_and_a_reusable_one_answers_its_attachment_id()
    {
        var person = (await PersonWritesAsync())["userId"]!.GetValue<string>();

        var answer = await SendAttachmentAsync(person, "image", "https://cdn.example.invalid/catalog.jpg", isReusable: true);
        var attachment = (await GetAsync($"{answer.Json["message_id"]}?fields=attachments")).Json["attachments"]!["data"]![0]!;

        Assert.Equal(["recipient_id", "message_id", "attachment_id"], answer.Json.AsObject().Select(p => p.Key));
        Assert.Equal(attachment["id"]!.GetValue<string>(), answer.Json["attachment_id"]!.GetValue<string>());
        Assert.Equal("https://cdn.example.invalid/catalog.jpg", attachment["image_data"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_audio_attachment_is_read_back_as_a_file_url()
    {
        var person = (await PersonWritesAsync())["userId"]!.GetValue<string>();

        var answer = await SendAttachmentAsync(person, "audio", "https://cdn.example.invalid/voice.mp4");
        var attachment = (await GetAsync($"{answer.Json["message_id"]}?fields=attachments")).Json["attachments"]!["data"]![0]!;

        Assert.Equal(["recipient_id", "message_id"], answer.Json.AsObject().Select(p => p.Key));
        Assert.Equal("audio/mpeg", attachment["mime_type"]!.GetValue<string>());
        Assert.Equal("https://cdn.example.invalid/voice.mp4", attachment["file_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_top_level_reply_to_names_the_message_answered()
    {
        var written = await PersonWritesAsync();

        var answer = await SendMessageAsync(new
        {
            recipient = new { id = written["userId"]!.GetValue<string>() },
            messaging_type = "RESPONSE",
            message = new { text = "Yes, still available." },
            reply_to = new { mid = written["messageId"]!.GetValue<string>() },
        });
        var reply = (await GetAsync($"{answer.Json["message_id"]}?fields=reply_to")).Json["reply_to"]!;

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(written["messageId"]!.GetValue<string>(), reply["mid"]!.GetValue<string>());
        Assert.False(reply["is_self_reply"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Instagram_sends_go_through_the_page_or_its_instagram_account()
    {
        var person = (await PersonWritesAsync("instagram"))["userId"]!.GetValue<string>();

        var viaAccount = await SendMessageAsync(new { recipient = new { id = person }, messaging_type = "RESPONSE", message = new { text = "hey" } },
            node: Page.InstagramAccountId);
        var viaPage = await SendTextAsync(person);
        var from = (await GetAsync($"{viaAccount.Json["message_id"]}?fields=from,tags")).Json;

        Assert.Equal(HttpStatusCode.OK, viaAccount.Status);
        Assert.Equal(HttpStatusCode.OK, viaPage.Status);
        Assert.Equal(Page.InstagramAccountId, from["from"]!["id"]!.GetValue<string>());
        Assert.Null(from["tags"]);
    }

    [Fact]
    public async Task Mark_seen_reads_the_thread_as_the_page_does_whenever_the_person_wrote()
    {
        var conversation = PageData.Folder(InboxPlatform.Messenger).First(c => c.UnreadCount > 0);

        var answer = await SendMessageAsync(new { recipient = new { id = conversation.Customer.Id }, sender_action = "mark_seen" });
        var read = (await GetAsync($"{conversation.Id}?fields=unread_count,messages.limit(1){{tags}}")).Json;

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal($$"""{"recipient_id":"{{conversation.Customer.Id}}"}""", answer.Body);
        Assert.Equal(0, read["unread_count"]!.GetValue<int>());
        Assert.Contains("read", read["messages"]!["data"]![0]!["tags"]!["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Typing_indicators_answer_the_recipient_and_change_nothing()
    {
        var written = await PersonWritesAsync();
        var person = written["userId"]!.GetValue<string>();

        var on = await SendMessageAsync(new { recipient = new { id = person }, sender_action = "typing_on" });
        var off = await SendMessageAsync(new { recipient = new { id = person }, sender_action = "TYPING_OFF" });
        var thread = (await GetAsync($"{written["conversationId"]}?fields=message_count,unread_count")).Json;

        Assert.Equal($$"""{"recipient_id":"{{person}}"}""", on.Body);
        Assert.Equal($$"""{"recipient_id":"{{person}}"}""", off.Body);
        Assert.Equal("""{"message_count":1,"unread_count":1,"id":"ID"}""".Replace("ID", written["conversationId"]!.GetValue<string>()), thread.ToJsonString());
    }

    [Fact]
    public async Task The_pages_reaction_shows_in_graph_reads_and_unreact_takes_it_back()
    {
        var written = await PersonWritesAsync();
        var person = written["userId"]!.GetValue<string>();
        var mid = written["messageId"]!.GetValue<string>();

        var react = await SendMessageAsync(new { recipient = new { id = person }, sender_action = "react", payload = new { message_id = mid, reaction = "love" } });
        var reacted = (await GetAsync($"{mid}?fields=reactions")).Json["reactions"]!["data"]!.AsArray();
        var unreact = await SendMessageAsync(new { recipient = new { id = person }, sender_action = "unreact", payload = new { message_id = mid } });
        var unreacted = (await GetAsync($"{mid}?fields=id,reactions")).Json;

        Assert.Equal(HttpStatusCode.OK, react.Status);
        var reaction = Assert.Single(reacted)!;
        Assert.Equal("love", reaction["reaction"]!.GetValue<string>());
        Assert.Equal([Page.PageId], reaction["users"]!.AsArray().Select(u => u!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, unreact.Status);
        Assert.Equal(["id"], unreacted.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Every_processed_send_is_logged_with_what_was_sent_until_reset()
    {
        var person = (await PersonWritesAsync())["userId"]!.GetValue<string>();
        var message = await SendMessageAsync(new
        {
            recipient = new { id = person },
            messaging_type = "MESSAGE_TAG",
            tag = "HUMAN_AGENT",
            message = new { text = "An agent here.", metadata = "ticket-42" },
        });
        await SendMessageAsync(new { recipient = new { id = person }, sender_action = "typing_on" });
        await SendMessageAsync(new { recipient = new { id = "1" }, messaging_type = "RESPONSE", message = new { text = "nobody" } });

        var log = JsonNode.Parse(await Http.GetStringAsync("_emulator/sends"))!;
        var reset = await Http.DeleteAsync("_emulator/sends");

        Assert.Equal(2, log["count"]!.GetValue<int>());
        var conversationId = Server.Data.Pages[0].ConversationWith(person)!.Id;
        Assert.Equal($$"""{"pageId":"{{Page.PageId}}","platform":"messenger","recipientId":"{{person}}","conversationId":"{{conversationId}}","messageId":"{{message.Json["message_id"]}}","messagingType":"MESSAGE_TAG","tag":"HUMAN_AGENT","text":"An agent here.","metadata":"ticket-42","answerLost":false}""",
            log["sends"]![0]!.ToJsonString());
        Assert.Equal("typing_on", log["sends"]![1]!["senderAction"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty(Server.SentMessages);
    }

    [Fact]
    public async Task The_request_log_records_a_send_and_never_its_token()
    {
        var person = (await PersonWritesAsync())["userId"]!.GetValue<string>();
        Server.ResetRequests();

        await SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{Version}/{Page.PageId}/messages")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["recipient"] = $$"""{"id":"{{person}}"}""", ["messaging_type"] = "RESPONSE", ["message"] = """{"text":"x"}""", ["access_token"] = Page.AccessToken,
            }),
        });

        var request = Assert.Single(Server.Requests);
        Assert.Equal(new RecordedRequest("POST", $"/{Version}/{Page.PageId}/messages", "", null, request.At), request);
        Assert.DoesNotContain(Page.AccessToken, await Http.GetStringAsync("_emulator/requests"));
    }
}

/// <summary>With an app secret, a send needs a valid <c>appsecret_proof</c> as a read does.</summary>
public sealed class SendApiProofTests : EmulatorTest
{
    private const string Secret = "send-api-secret";

    protected override EmulatorOptions Options => new() { AppSecret = Secret };

    [Fact]
    public async Task A_send_without_a_proof_is_refused_and_with_one_it_goes_through()
    {
        var person = (await PersonWritesAsync())["userId"]!.GetValue<string>();
        var proof = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(Page.AccessToken)));
        object body = new { recipient = new { id = person }, messaging_type = "RESPONSE", message = new { text = "proven" } };

        var refused = await SendMessageAsync(body);
        var proven = await SendMessageAsync(new
        {
            recipient = new { id = person }, messaging_type = "RESPONSE", message = new { text = "proven" }, appsecret_proof = proof,
        });

        Assert.Equal("API calls from the server require an appsecret_proof argument",
            refused.AssertError(HttpStatusCode.BadRequest, 100)["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, proven.Status);
    }
}
