using System.Net;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>Shares, stories, reactions, videos, animated images, attachment paging and user profiles, in the shapes of
/// Meta's recorded responses; the seeded data carries each of them.</summary>
public sealed class RichMessageShapeTests : EmulatorTest
{
    private static string[] Keys(JsonNode? node) => node!.AsObject().Select(p => p.Key).ToArray();

    private IEnumerable<MessageData> Detailed(InboxPlatform? platform = null) => PageData.Conversations
        .Where(c => platform is null || c.Platform == platform).SelectMany(c => c.Messages).Where(m => m.HasDetails);

    [Fact]
    public void Every_seed_gives_shares_stories_reactions_videos_and_animated_images_within_the_20_newest()
    {
        foreach (var options in new[] { new EmulatorOptions(), new EmulatorOptions { Seed = 7, ConversationsPerPlatform = 1, MaxMessagesPerConversation = 20 } })
        {
            var page = InboxGenerator.Generate(options).Pages[0];
            var messages = page.Conversations.SelectMany(c => c.Messages).Where(m => m.HasDetails).ToList();
            Assert.Contains(messages, m => m.Shares.Count > 0 && m.Shares.Any(s => s.Picture is null));
            Assert.Contains(messages, m => m.Story?.Kind == StoryKind.Mention);
            Assert.Contains(messages, m => m.Story?.Kind == StoryKind.ReplyTo);
            Assert.Contains(messages, m => m.Reactions.Count > 0);
            Assert.Contains(messages, m => m.Attachments.Any(a => a is { Animated: true, RenderAsSticker: true }));
            Assert.Contains(messages, m => m.Attachments.Any(a => a.Kind == AttachmentKind.Video));
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_shares_stories_reactions_and_animated_images()
    {
        static string Describe(InboxData data) => string.Join("\n", data.Pages.SelectMany(p => p.Conversations).SelectMany(c => c.Messages)
            .Select(m => $"{m.Id} {string.Join(",", m.Shares)} {m.Story} {string.Join(",", m.Reactions.Select(r => $"{r.Reaction}:{string.Join("+", r.Users.Select(u => u.Id))}"))} {string.Join(",", m.Attachments.Select(a => $"{a.Id}/{a.Animated}/{a.RenderAsSticker}"))}"));

        Assert.Equal(Describe(InboxGenerator.Generate(new EmulatorOptions())), Describe(InboxGenerator.Generate(new EmulatorOptions())));
    }

    [Fact]
    public async Task Shares_are_a_data_list_of_link_name_description_picture_and_id()
    {
        var message = Detailed().First(m => m.Shares.Count == 2);

        var json = (await GetAsync($"{message.Id}?fields=shares")).Json;

        var shares = json["shares"]!["data"]!.AsArray();
        Assert.Equal(["data"], Keys(json["shares"]));
        Assert.Equal(["link", "name", "description", "picture", "id"], Keys(shares[0]));
        Assert.Equal(["link", "name", "description", "id"], Keys(shares[1]));
        Assert.Equal(message.Shares[0].Link, shares[0]!["link"]!.GetValue<string>());
        Assert.Equal(message.Shares[0].Id, shares[0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_instagram_story_is_a_reply_to_or_a_mention_with_link_and_id()
    {
        var reply = Detailed(InboxPlatform.Instagram).First(m => m.Story?.Kind == StoryKind.ReplyTo);
        var mention = Detailed(InboxPlatform.Instagram).First(m => m.Story?.Kind == StoryKind.Mention);

        var replyJson = (await GetAsync($"{reply.Id}?fields=story")).Json;
        var mentionJson = (await GetAsync($"{mention.Id}?fields=story{{mention{{link}}}}")).Json;

        Assert.Equal(["reply_to"], Keys(replyJson["story"]));
        Assert.Equal(["link", "id"], Keys(replyJson["story"]!["reply_to"]));
        Assert.Equal(reply.Story!.Id, replyJson["story"]!["reply_to"]!["id"]!.GetValue<string>());
        Assert.Equal(["mention"], Keys(mentionJson["story"]));
        Assert.Equal(["link"], Keys(mentionJson["story"]!["mention"]));
        Assert.Equal(mention.Story!.Link, mentionJson["story"]!["mention"]!["link"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reactions_list_the_reaction_and_the_users_with_id_and_username()
    {
        var message = Detailed(InboxPlatform.Instagram).First(m => m.Reactions.Count == 2);

        var json = (await GetAsync($"{message.Id}?fields=reactions")).Json;

        var reactions = json["reactions"]!["data"]!.AsArray();
        Assert.Equal(["reaction", "users"], Keys(reactions[0]));
        Assert.Equal("love", reactions[0]!["reaction"]!.GetValue<string>());
        Assert.All(reactions[0]!["users"]!.AsArray(), user => Assert.Equal(["id", "username"], Keys(user)));
        Assert.Equal(message.Reactions[0].Users.Select(u => u.Id), reactions[0]!["users"]!.AsArray().Select(u => u!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_video_has_video_data_with_type_and_rotation_and_its_thumbnail_as_image_data()
    {
        var message = Detailed().First(m => m.Attachments.Any(a => a.Kind == AttachmentKind.Video));

        var json = (await GetAsync($"{message.Id}?fields=attachments")).Json;

        var video = json["attachments"]!["data"]!.AsArray().First(a => a!["mime_type"]!.GetValue<string>() == "video/mp4")!;
        Assert.Equal(["id", "mime_type", "name", "size", "image_data", "video_data"], Keys(video));
        Assert.Equal(["width", "height", "length", "video_type", "url", "preview_url", "rotation"], Keys(video["video_data"]));
        Assert.Equal(video["video_data"]!["preview_url"]!.GetValue<string>(), video["image_data"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_animated_image_has_gif_and_webp_renditions_and_says_whether_it_renders_as_a_sticker()
    {
        var message = Detailed().First(m => m.Attachments.Any(a => a is { Animated: true, RenderAsSticker: true }));

        var json = (await GetAsync($"{message.Id}?fields=attachments{{mime_type,image_data}}")).Json;

        var gif = json["attachments"]!["data"]!.AsArray().First(a => a!["mime_type"]!.GetValue<string>() == "image/gif")!;
        Assert.Equal(["width", "height", "max_width", "max_height", "url", "preview_url", "image_type", "animated_gif_url",
            "animated_gif_preview_url", "animated_webp_url", "animated_webp_preview_url", "render_as_sticker"], Keys(gif["image_data"]));
        Assert.EndsWith(".webp", gif["image_data"]!["animated_webp_url"]!.GetValue<string>());
        Assert.True(gif["image_data"]!["render_as_sticker"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Attachments_page_with_limit_and_the_next_link_gives_the_rest()
    {
        var message = Detailed().First(m => m.Attachments.Count == 2);

        var json = (await GetAsync($"{message.Id}?fields=attachments.limit(1){{id}}")).Json;

        var page = json["attachments"]!;
        Assert.Equal([message.Attachments[0].Id], page["data"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        Assert.Equal(["before", "after"], Keys(page["paging"]!["cursors"]));
        var next = await GetUrlAsync(page["paging"]!["next"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal([message.Attachments[1].Id], next.Json["data"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        Assert.Null(next.Json["paging"]!["next"]);
    }

    [Fact]
    public async Task Fields_meta_serves_on_messages_and_attachments_are_accepted()
    {
        var message = Detailed().First();

        var answer = await GetAsync($"{message.Id}?fields=id,shares{{link,name,description,picture,id}},story{{mention{{link,id}},reply_to{{link,id}}}}," +
            "reactions{reaction,users{id,username}},attachments{image_data{animated_gif_url,animated_gif_preview_url,animated_webp_url," +
            "animated_webp_preview_url,raw_gif_image,raw_webp_image,render_as_sticker},video_data{video_type,rotation},generic_template},is_unsupported");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task User_profiles_are_read_by_id_messenger_with_names_and_instagram_with_a_username()
    {
        var messenger = PageData.Folder(InboxPlatform.Messenger)[0].Customer;
        var instagram = PageData.Folder(InboxPlatform.Instagram)[0].Customer;

        var json = (await GetAsync($"?ids={messenger.Id},{instagram.Id}&fields=name,first_name,last_name,username,profile_pic")).Json;
        var alone = (await GetAsync($"{messenger.Id}?fields=name,first_name,last_name,profile_pic")).Json;

        Assert.Equal(["name", "first_name", "last_name", "profile_pic", "id"], Keys(json[messenger.Id]));
        Assert.Equal(messenger.Name, json[messenger.Id]!["name"]!.GetValue<string>());
        Assert.Equal(["username", "profile_pic", "id"], Keys(json[instagram.Id]));
        Assert.Equal(instagram.Username, json[instagram.Id]!["username"]!.GetValue<string>());
        Assert.StartsWith("https://", json[instagram.Id]!["profile_pic"]!.GetValue<string>());
        Assert.Equal(json[messenger.Id]!.ToJsonString(), alone.ToJsonString());
    }

    [Fact]
    public async Task A_person_is_visible_only_to_the_page_they_talk_with()
    {
        var otherPagesCustomer = Server.Data.Pages[1].Folder(InboxPlatform.Messenger)[0].Customer;

        var answer = await GetAsync($"{otherPagesCustomer.Id}?fields=name");

        answer.AssertError(HttpStatusCode.BadRequest, 100);
    }
}
