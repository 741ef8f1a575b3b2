using MetaGraph.Emulator.Data;

namespace MetaGraph.Tests.Integration;

/// <summary>The client reads shares, stories, reactions, video and animated image data, attachment paging and user
/// profiles as the emulator writes them in Meta's shapes.</summary>
public sealed class RichMessagesTests : EmulatorTest
{
    private static readonly FieldList Everything = FieldList.Of("id", "shares", "story", "reactions", "attachments", "tags", "is_unsupported");

    private IEnumerable<MessageData> Detailed(InboxPlatform platform)
        => Server.Data.Pages[0].Folder(platform)[0].Messages.Where(m => m.HasDetails);

    [Fact]
    public async Task Reads_shares_stories_and_reactions()
    {
        var shared = Detailed(InboxPlatform.Instagram).First(m => m.Shares.Count == 2);
        var reply = Detailed(InboxPlatform.Instagram).First(m => m.Story?.Kind == StoryKind.ReplyTo);
        var mention = Detailed(InboxPlatform.Instagram).First(m => m.Story?.Kind == StoryKind.Mention);
        var reacted = Detailed(InboxPlatform.Instagram).First(m => m.Reactions.Count == 2);

        var messages = (await Client.GetByIdsAsync<Message>(Page.AccessToken, [shared.Id, reply.Id, mention.Id, reacted.Id], Everything)).Value;

        Assert.Equal(shared.Shares.Select(s => ((string?)s.Id, (string?)s.Link, (string?)s.Name, (string?)s.Description, s.Picture)),
            messages[shared.Id].Shares!.Data.Select(s => (s.Id, s.Link, s.Name, s.Description, s.Picture)));
        Assert.Equal(reply.Story!.Link, messages[reply.Id].Story!.ReplyTo!.Link);
        Assert.Null(messages[reply.Id].Story!.Mention);
        Assert.Equal(mention.Story!.Id, messages[mention.Id].Story!.Mention!.Id);
        Assert.Equal(reacted.Reactions.Select(r => (r.Reaction, string.Join(",", r.Users.Select(u => u.Username)))),
            messages[reacted.Id].Reactions!.Data.Select(r => (r.Name, string.Join(",", r.Users.Select(u => u.Username)))));
    }

    [Fact]
    public async Task Reads_video_data_animated_images_and_a_paged_attachment_list()
    {
        var video = Detailed(InboxPlatform.Messenger).First(m => m.Attachments.Any(a => a.Kind == AttachmentKind.Video));
        var gif = Detailed(InboxPlatform.Messenger).First(m => m.Attachments.Any(a => a is { Animated: true, RenderAsSticker: true }));

        var messages = (await Client.GetByIdsAsync<Message>(Page.AccessToken, [video.Id, gif.Id],
            FieldList.Of("id").AddEdge("attachments", limit: 1))).Value;

        var videoAttachment = messages[video.Id].Attachments!.Data.Single();
        Assert.Equal(0, videoAttachment.VideoData!.Rotation);
        Assert.NotNull(videoAttachment.VideoData.VideoType);
        Assert.Equal(videoAttachment.VideoData.PreviewUrl, videoAttachment.ImageData!.Url);
        var image = messages[gif.Id].Attachments!.Data.Single().ImageData!;
        Assert.True(image.RenderAsSticker);
        Assert.EndsWith(".gif", image.AnimatedGifUrl);
        Assert.EndsWith(".webp", image.AnimatedWebpUrl);
        Assert.NotNull(messages[gif.Id].Attachments!.Paging!.Cursors);
    }

    [Fact]
    public async Task Reads_user_profiles_and_instagram_user_ids()
    {
        var messenger = Server.Data.Pages[0].Folder(InboxPlatform.Messenger)[0].Customer;
        var instagram = Server.Data.Pages[0].Folder(InboxPlatform.Instagram)[0];

        var profiles = (await Client.GetByIdsAsync<Participant>(Page.AccessToken, [messenger.Id, instagram.Customer.Id],
            FieldList.Of("name", "username", "profile_pic"))).Value;
        var conversation = (await Client.GetNodeAsync<Conversation>(Page.AccessToken, instagram.Id, FieldList.Of("participants", "former_participants"))).Value;

        Assert.Equal(messenger.Name, profiles[messenger.Id].Name);
        Assert.Equal(messenger.ProfilePic, profiles[messenger.Id].ProfilePic);
        Assert.Equal(instagram.Customer.Username, profiles[instagram.Customer.Id].Username);
        Assert.Equal(instagram.Customer.UserId, conversation.Participants!.Data[0].UserId);
        Assert.Empty(conversation.FormerParticipants!.Data);
    }
}
