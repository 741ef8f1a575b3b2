using System.Text.Json;
using MetaGraph.Json;

namespace MetaGraph.Tests;

/// <summary>The wire shapes of the Graph API, as recorded in Meta's documentation and SDK test data.</summary>
public sealed class GraphJsonTests
{
    private static JsonElement Parse(string json) => JsonElement.Parse(json);

    [Fact]
    public void A_person_repeated_in_an_answer_is_read_once_and_text_is_read_exactly()
    {
        var page = GraphJson.Deserialize<GraphList<Message>>(Parse("""
            {"data":[{"id":"m_1","from":{"id":"4108143605242352","name":"Ana María López","email":"4108143605242352@facebook.com"}},
                     {"id":"m_2","from":{"id":"4108143605242352","name":"Ana María López","email":"4108143605242352@facebook.com"}},
                     {"id":"m_3","from":{"id":"104000000000001","name":"Ana Mar\u00eda L\u00f3pez 😊"}}]}
            """));

        var (first, second, third) = (page.Data[0].From!, page.Data[1].From!, page.Data[2].From!);
        Assert.Same(first.Id, second.Id);
        Assert.Same(first.Name, second.Name);
        Assert.Same(first.Email, second.Email);
        Assert.Equal("Ana María López", first.Name);
        Assert.Equal(("104000000000001", "Ana María López 😊", null), (third.Id, third.Name, third.Email));
    }

    [Fact]
    public void Reads_a_conversations_page_with_exact_timestamps_and_paging()
    {
        var page = GraphJson.Deserialize<GraphList<Conversation>>(Parse("""
            {"data":[{"id":"t_587956915396498","updated_time":"2022-07-12T19:11:07+0000"},
                     {"id":"t_10223710577427398","updated_time":"2022-07-11T08:00:59+0000"}],
             "paging":{"cursors":{"before":"QVFIUmUx","after":"QVFIUkdq"},
                       "next":"https://graph.facebook.com/v25.0/104/conversations?access_token=EAAB-page-token&pretty=0&platform=messenger&limit=25&after=QVFIUkdq"}}
            """));

        Assert.Equal(["t_587956915396498", "t_10223710577427398"], page.Data.Select(c => c.Id));
        Assert.Equal(new DateTimeOffset(2022, 7, 12, 19, 11, 7, TimeSpan.Zero), page.Data[0].UpdatedTime);
        Assert.Equal("QVFIUkdq", page.Paging!.Cursors!.After);
        Assert.Equal("https://graph.facebook.com/v25.0/104/conversations?pretty=0&platform=messenger&limit=25&after=QVFIUkdq",
            page.Paging.Next);
        Assert.True(page.Paging.HasNext);
        Assert.Null(page.Paging.Previous);
    }

    [Fact]
    public void Reads_conversations_with_expanded_messages_and_their_own_paging()
    {
        var page = GraphJson.Deserialize<GraphList<Conversation>>(Parse("""
            {"data":[{"id":"aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6","updated_time":"2024-01-02T03:04:05+0000",
               "participants":{"data":[{"username":"shop.example","id":"17841400000000001"},{"username":"jane","id":"6101234567890123"}]},
               "messages":{"data":[{"id":"aWdfZAG1faXRlbTox","created_time":"2024-01-02T03:04:05+0000",
                                    "from":{"username":"jane","id":"6101234567890123"},
                                    "to":{"data":[{"username":"shop.example","id":"17841400000000001"}]},"message":"hi"}],
                           "paging":{"cursors":{"before":"a","after":"b"},
                                     "next":"https://graph.facebook.com/v25.0/aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6/messages?access_token=EAAB&appsecret_proof=00ff&limit=1&after=b"}}}]}
            """));

        var conversation = Assert.Single(page.Data);
        Assert.Equal(["shop.example", "jane"], conversation.Participants!.Data.Select(p => p.Username));
        var message = Assert.Single(conversation.Messages!.Data);
        Assert.Equal("jane", message.From!.Username);
        Assert.Equal("17841400000000001", Assert.Single(message.To!.Data).Id);
        Assert.Equal("https://graph.facebook.com/v25.0/aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6/messages?limit=1&after=b",
            conversation.Messages.Paging!.Next);
        Assert.Null(page.Paging);
    }

    [Fact]
    public void Reads_message_details_with_attachments_stickers_replies_and_empty_text()
    {
        var message = GraphJson.Deserialize<Message>(Parse("""
            {"id":"m_AbC123","created_time":"2023-03-04T05:06:07+0000",
             "from":{"name":"Jane Doe","email":"2468013579@facebook.com","id":"2468013579"},
             "to":{"data":[{"name":"Example Shop","email":"104@facebook.com","id":"104"}]},
             "message":"","sticker":"https://scontent.example/sticker.png",
             "attachments":{"data":[{"id":"1234","mime_type":"image/jpeg","name":"photo.jpg","size":52341,
                 "image_data":{"width":960,"height":720,"url":"https://scontent.example/photo.jpg","preview_url":"https://scontent.example/p.jpg"}},
                 {"id":"5678","mime_type":"video/mp4","name":"clip.mp4","size":1048576,
                 "video_data":{"width":640,"height":480,"length":12.5,"url":"https://scontent.example/clip.mp4","preview_url":"https://scontent.example/c.jpg"}}]},
             "reply_to":{"mid":"m_Earlier","is_self_reply":false},
             "tags":{"data":[{"name":"inbox"},{"name":"read"}]}}
            """));

        Assert.Equal("", message.Text);
        Assert.Equal("Jane Doe", message.From!.Name);
        Assert.Equal("2468013579@facebook.com", message.From.Email);
        Assert.Equal("https://scontent.example/sticker.png", message.Sticker);
        Assert.Equal(960, message.Attachments!.Data[0].ImageData!.Width);
        Assert.Equal(12.5, message.Attachments.Data[1].VideoData!.Length);
        Assert.Equal(1048576, message.Attachments.Data[1].Size);
        Assert.Equal("m_Earlier", message.ReplyTo!.Mid);
        Assert.Equal(["inbox", "read"], message.Tags!.Data.Select(t => t.Name));
        Assert.Null(message.IsUnsupported);
    }

    [Fact]
    public void Reads_a_multi_id_answer_keyed_by_id()
    {
        var messages = GraphJson.Deserialize<Dictionary<string, Message>>(Parse("""
            {"m_1":{"id":"m_1","created_time":"2023-03-04T05:06:07+0000"},"m_2":{"id":"m_2","created_time":"2023-03-04T05:06:08+0000"}}
            """));

        Assert.Equal(["m_1", "m_2"], messages.Keys.Order());
        Assert.Equal(8, messages["m_2"].CreatedTime!.Value.Second);
    }

    [Theory]
    [InlineData("2022-07-12T19:11:07+0000", 0)]
    [InlineData("2022-07-12T19:11:07-0530", -330)]
    [InlineData("2022-07-12T19:11:07+00:00", 0)]
    [InlineData("2022-07-12T19:11:07+02:00", 120)]
    [InlineData("2022-07-12T19:11:07Z", 0)]
    public void Reads_graph_and_iso_timestamps_exactly(string timestamp, int offsetMinutes)
    {
        var message = GraphJson.Deserialize<Message>(Parse($$"""{"id":"m_1","created_time":"{{timestamp}}"}"""));

        Assert.Equal(new DateTimeOffset(2022, 7, 12, 19, 11, 7, TimeSpan.FromMinutes(offsetMinutes)), message.CreatedTime);
        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), message.CreatedTime!.Value.Offset);
    }

    [Theory]
    [InlineData("\"12 July 2022\"")]
    [InlineData("\"2022-07-12\"")]
    [InlineData("1657653067")]
    public void Refuses_what_is_not_a_timestamp(string value)
        => Assert.Throws<JsonException>(() => GraphJson.Deserialize<Message>(Parse($$"""{"id":"m_1","created_time":{{value}}}""")));

    [Theory]
    [InlineData("2022-13-12T19:11:07+0000")]
    [InlineData("2023-02-29T19:11:07+0000")]
    [InlineData("2022-07-12T24:00:00+0000")]
    [InlineData("2022-07-12T19:60:07+0000")]
    [InlineData("2022-07-12T19:11:07+1500")]
    [InlineData("2022-07-12T19:11:07+0060")]
    [InlineData("2022-07-12 19:11:07+0000")]
    [InlineData("2022-07-1x19:11:07+0000")]
    public void Refuses_timestamps_in_graph_form_that_name_no_instant(string timestamp)
        => Assert.Throws<JsonException>(() => GraphJson.Deserialize<Message>(Parse($$"""{"id":"m_1","created_time":"{{timestamp}}"}""")));

    [Fact]
    public void The_digit_by_digit_reader_agrees_with_the_general_parser()
    {
        // Fixed seed: every minute offset Graph could send and instants across leap years, month ends and day ends.
        var random = new Random(20261125);
        for (var i = 0; i < 5_000; i++)
        {
            var offset = TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
            var instant = new DateTimeOffset(new DateTime(2000, 1, 1).AddSeconds(random.NextInt64(0, 40L * 365 * 24 * 3600)), TimeSpan.Zero).ToOffset(offset);
            var text = GraphTimestampConverter.Format(instant);

            Assert.True(GraphTimestampConverter.TryReadGraphForm(System.Text.Encoding.ASCII.GetBytes(text), out var read), text);
            Assert.Equal(DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture), read);
            Assert.Equal(instant.Offset, read.Offset);
        }
    }

    [Fact]
    public void Refuses_a_node_without_its_id()
        => Assert.Throws<JsonException>(() => GraphJson.Deserialize<Message>(Parse("""{"created_time":"2022-07-12T19:11:07+0000"}""")));

    [Theory]
    [InlineData(0, "2022-07-12T19:11:07+0000")]
    [InlineData(-330, "2022-07-12T19:11:07-0530")]
    [InlineData(60, "2022-07-12T19:11:07+0100")]
    public void Writes_timestamps_in_graph_format(int offsetMinutes, string expected)
    {
        var value = new DateTimeOffset(2022, 7, 12, 19, 11, 7, TimeSpan.FromMinutes(offsetMinutes));

        Assert.Equal(expected, GraphTimestampConverter.Format(value));
        var json = JsonSerializer.SerializeToElement(new Message { Id = "m_1", CreatedTime = value }, MetaGraphJsonContext.Default.Message);
        Assert.Equal(expected, json.GetProperty("created_time").GetString());
        Assert.Equal(value, GraphJson.Deserialize<Message>(json).CreatedTime);
    }

    [Fact]
    public void Untyped_results_lose_the_credentials_in_paging_urls_at_any_depth()
    {
        var element = JsonSerializer.Deserialize("""
            {"t_1":{"id":"t_1","messages":{"data":[{"id":"m_1"}],
              "paging":{"cursors":{"after":"b"},"next":"https://h/v25.0/t_1/messages?access_token=EAAB&limit=1&after=b"}}}}
            """, MetaGraphJsonContext.Default.JsonElement);

        Assert.Equal("https://h/v25.0/t_1/messages?limit=1&after=b",
            element.GetProperty("t_1").GetProperty("messages").GetProperty("paging").GetProperty("next").GetString());
        Assert.Equal("m_1", element.GetProperty("t_1").GetProperty("messages").GetProperty("data")[0].GetProperty("id").GetString());
        Assert.DoesNotContain("EAAB", element.GetRawText());
    }

    [Fact]
    public void Untyped_results_without_credentials_are_kept_as_sent()
    {
        const string json = """{"next":"https://h/x?access_token=not-paging","paging":{"next":"https://h/x?limit=1"}}""";

        Assert.Equal(json, JsonSerializer.Deserialize(json, MetaGraphJsonContext.Default.JsonElement).GetRawText());
    }

    [Fact]
    public void Reads_the_error_envelope()
    {
        var envelope = JsonSerializer.Deserialize("""
            {"error":{"message":"Error validating access token","type":"OAuthException","code":190,"error_subcode":460,
              "error_user_title":"Session expired","error_user_msg":"Log in again","fbtrace_id":"EJplcsCHuLu","is_transient":false}}
            """, MetaGraphJsonContext.Default.GraphErrorEnvelope);

        Assert.Equal(new GraphErrorBody
        {
            Message = "Error validating access token", Type = "OAuthException", Code = 190, Subcode = 460,
            UserTitle = "Session expired", UserMessage = "Log in again", FbTraceId = "EJplcsCHuLu", IsTransient = false,
        }, envelope!.Error);
    }

    [Fact]
    public void Names_the_supported_types_when_asked_for_another()
    {
        var error = Assert.Throws<NotSupportedException>(() => GraphJson.Deserialize<Uri>(Parse("\"https://h\"")));

        Assert.Contains("System.Uri", error.Message);
        Assert.Contains(nameof(Conversation), error.Message);
    }
}
