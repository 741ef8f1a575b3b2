using System.Net;
using System.Text;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>What the Send API refuses, each with Meta's code, subcode, type, message and HTTP status (Meta's Messenger Platform
/// common error codes and answers recorded by SDK tests; the rest in Meta's wording style), and a refusal changes nothing.</summary>
public sealed class SendApiErrorTests : EmulatorTest
{
    private const string Window = "(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview";

    [Theory]
    [InlineData("""{"messaging_type":"RESPONSE","message":{"text":"x"}}""", 100, null, "(#100) The parameter recipient is required")]
    [InlineData("""{"recipient":"USER","messaging_type":"RESPONSE","message":{"text":"x"}}""", 100, null, "(#100) param recipient must be a JSON object")]
    [InlineData("""{"recipient":{"id":"5550000000000999"},"messaging_type":"RESPONSE","message":{"text":"x"}}""", 100, 2018001, "(#100) No matching user found")]
    [InlineData("""{"recipient":{"id":"USER"},"messaging_type":"RESPONSE","message":{"text":"x"},"sender_action":"typing_on"}""", 100, 2018014, "(#100) Cannot send both message and state at the same time.")]
    [InlineData("""{"recipient":{"id":"USER"},"messaging_type":"RESPONSE"}""", 100, 2018015, "(#100) Must send either message or state")]
    [InlineData("""{"recipient":{"id":"USER"},"messaging_type":"RESPONSE","message":{"text":"x","attachment":{"type":"image","payload":{"url":"https://a.invalid/p.jpg"}}}}""", 100, 2018191, "(#100) Only one of the text, attachment, and dynamic_text fields can be specified")]
    [InlineData("""{"recipient":{"id":"USER"},"messaging_type":"RESPONSE","message":{"text":""}}""", 100, 2018034, "(#100) Message cannot be empty, must provide valid attachment or text")]
    [InlineData("""{"recipient":{"id":"USER"},"message":{"text":"x"}}""", 100, null, "(#100) The parameter messaging_type is required")]
    [InlineData("""{"recipient":{"id":"USER"},"messaging_type":"SOON","message":{"text":"x"}}""", 100, null, "(#100) param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG} - got \"SOON\"")]
    [InlineData("""{"recipient":{"id":"USER"},"messaging_type":"MESSAGE_TAG","message":{"text":"x"}}""", 100, null, "(#100) The parameter tag is required")]
    [InlineData("""{"recipient":{"id":"USER"},"messaging_type":"MESSAGE_TAG","tag":"PROMO","message":{"text":"x"}}""", 100, null, "(#100) param tag must be one of {CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE, ACCOUNT_UPDATE, HUMAN_AGENT} - got \"PROMO\"")]
    [InlineData("""{"recipient":{"id":"USER"},"messaging_type":"RESPONSE","message":{"text":"x","reply_to":{"mid":"m_1"}}}""", 100, null, "(#100) Invalid keys \"reply_to\" were found in param \"message\".")]
    [InlineData("""{"recipient":{"id":"USER"},"messaging_type":"RESPONSE","message":{"text":"x"},"reply_to":{"mid":"m_nope"}}""", 100, null, "(#100) param reply_to[mid] m_nope is not a message of this thread")]
    [InlineData("""{"recipient":{"id":"USER"},"messaging_type":"RESPONSE","message":{"attachment":{"type":"template","payload":{"url":"https://a.invalid/p"}}}}""", 100, null, "(#100) param message[attachment][type] must be one of {IMAGE, VIDEO, AUDIO, FILE} - got \"template\"")]
    [InlineData("""{"recipient":{"id":"USER"},"messaging_type":"RESPONSE","message":{"attachment":{"type":"image"}}}""", 100, null, "(#100) The parameter message[attachment][payload] is required")]
    [InlineData("""{"recipient":{"id":"USER"},"messaging_type":"RESPONSE","message":{"attachment":{"type":"image","payload":{}}}}""", 100, null, "(#100) The parameter message[attachment][payload][url] is required")]
    [InlineData("""{"recipient":{"id":"USER"},"messaging_type":"RESPONSE","message":{"attachment":{"payload":{"url":"https://a.invalid/p.jpg"}}}}""", 100, null, "(#100) The parameter message[attachment][type] is required")]
    [InlineData("""{"recipient":{"id":"USER"},"sender_action":"wave"}""", 100, null, "(#100) param sender_action must be one of {MARK_SEEN, TYPING_ON, TYPING_OFF, REACT, UNREACT} - got \"wave\"")]
    [InlineData("""{"recipient":{"id":"USER"},"sender_action":"react"}""", 100, null, "(#100) The parameter payload is required")]
    [InlineData("""{"recipient":{"id":"USER"},"sender_action":"react","payload":{"message_id":"MID","reaction":"yay"}}""", 100, null, "(#100) param payload[reaction] must be one of {LOVE, LIKE, SMILE, WOW, SAD, ANGRY, DISLIKE} - got \"yay\"")]
    public async Task Bad_input_is_refused_with_metas_error(string body, int code, int? subcode, string message)
    {
        var written = await PersonWritesAsync();
        body = body.Replace("USER", written["userId"]!.GetValue<string>()).Replace("MID", written["messageId"]!.GetValue<string>());

        var answer = await SendJsonAsync(body);

        var error = answer.AssertError(HttpStatusCode.BadRequest, code);
        Assert.Equal(subcode, answer.ErrorSubcode);
        Assert.Equal(message, error["message"]!.GetValue<string>());
        Assert.Equal("OAuthException", error["type"]!.GetValue<string>());
        Assert.Equal(1, (await GetAsync($"{written["conversationId"]}?fields=message_count")).Json["message_count"]!.GetValue<int>());
        Assert.Empty(Server.SentMessages);
    }

    [Fact]
    public async Task Text_over_2000_characters_is_refused_in_metas_words()
    {
        var person = (await PersonWritesAsync())["userId"]!.GetValue<string>();

        var longest = await SendTextAsync(person, new string('a', 2000));
        var tooLong = await SendTextAsync(person, new string('a', 2001));

        Assert.Equal(HttpStatusCode.OK, longest.Status);
        Assert.Equal("(#100) Length of param message[text] must be less than or equal to 2000",
            tooLong.AssertError(HttpStatusCode.BadRequest, 100)["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_person_who_blocked_the_page_or_cannot_be_reached_gets_nothing_and_cannot_be_replied_to()
    {
        var blocked = await PersonWritesAsync();
        var gone = await PersonWritesAsync();

        await ChangeAsync("availability", new { pageId = Page.PageId, platform = "messenger", userId = blocked["userId"]!.GetValue<string>(), availability = "blocked" });
        await ChangeAsync("availability", new { pageId = Page.PageId, platform = "messenger", conversationId = gone["conversationId"]!.GetValue<string>(), availability = "unavailable" });
        var toBlocked = await SendTextAsync(blocked["userId"]!.GetValue<string>());
        var toGone = await SendTextAsync(gone["userId"]!.GetValue<string>());
        var canReply = (await GetAsync($"{blocked["conversationId"]}?fields=can_reply")).Json["can_reply"]!.GetValue<bool>();
        await ChangeAsync("availability", new { pageId = Page.PageId, platform = "messenger", userId = blocked["userId"]!.GetValue<string>(), availability = "available" });
        var again = await SendTextAsync(blocked["userId"]!.GetValue<string>());

        Assert.Equal("(#551) This person isn't receiving messages from you right now.",
            toBlocked.AssertError(HttpStatusCode.BadRequest, 551)["message"]!.GetValue<string>());
        Assert.Null(toBlocked.ErrorSubcode);
        Assert.Equal("(#551) This person isn't available right now.", toGone.AssertError(HttpStatusCode.BadRequest, 551)["message"]!.GetValue<string>());
        Assert.Equal(1545041, toGone.ErrorSubcode);
        Assert.False(canReply);
        Assert.Equal(HttpStatusCode.OK, again.Status);
    }

    [Fact]
    public async Task An_unknown_instagram_person_is_metas_no_matching_instagram_user()
    {
        var messengerPerson = (await PersonWritesAsync())["userId"]!.GetValue<string>();

        var answer = await SendMessageAsync(new { recipient = new { id = messengerPerson }, messaging_type = "RESPONSE", message = new { text = "x" } },
            node: Page.InstagramAccountId);

        Assert.Equal("(#100) No matching Instagram user", answer.AssertError(HttpStatusCode.BadRequest, 100)["message"]!.GetValue<string>());
        Assert.Equal(2534014, answer.ErrorSubcode);
    }

    [Fact]
    public async Task Another_pages_id_is_not_this_tokens_to_send_from_and_an_unknown_id_does_not_exist()
    {
        var person = (await PersonWritesAsync())["userId"]!.GetValue<string>();
        object body = new { recipient = new { id = person }, messaging_type = "RESPONSE", message = new { text = "x" } };

        var otherPage = await SendMessageAsync(body, node: Server.Seed[1].PageId);
        var nothing = await SendMessageAsync(body, node: "999999");

        otherPage.AssertError(HttpStatusCode.Forbidden, 200);
        Assert.StartsWith("Unsupported post request. Object with ID '999999' does not exist", nothing.AssertError(HttpStatusCode.BadRequest, 100)["message"]!.GetValue<string>());
        Assert.Equal(33, nothing.ErrorSubcode);
    }

    [Fact]
    public async Task A_send_outside_the_window_is_refused_without_a_trace()
    {
        var conversation = PageData.Folder(InboxPlatform.Messenger)[0];
        Server.Clock.Set(EmulatorClock.SeedNow.AddDays(30));

        var answer = await SendTextAsync(conversation.Customer.Id);

        Assert.Equal(Window, answer.AssertError(HttpStatusCode.BadRequest, 10)["message"]!.GetValue<string>());
        Assert.Equal(2018278, answer.ErrorSubcode);
        Assert.Equal(conversation.MessageCount, (await GetAsync($"{conversation.Id}?fields=message_count")).Json["message_count"]!.GetValue<int>());
        Assert.Empty(Server.SentMessages);
    }

    private async Task<GraphAnswer> SendJsonAsync(string body)
        => await SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{Version}/{Page.PageId}/messages?access_token={Page.AccessToken}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        });
}
