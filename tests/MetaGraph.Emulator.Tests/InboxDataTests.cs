using MetaGraph.Emulator.Data;

namespace MetaGraph.Emulator.Tests;

/// <summary>The seeded inboxes have the variety the gateway must handle.</summary>
public sealed class InboxDataTests
{
    private static readonly InboxData Data = InboxGenerator.Generate(new EmulatorOptions());

    private static IEnumerable<MessageData> Messages => Data.Pages.SelectMany(p => p.Conversations).SelectMany(c => c.Messages);

    [Fact]
    public void The_same_options_give_the_same_data()
    {
        var again = InboxGenerator.Generate(new EmulatorOptions());

        Assert.Equal(Describe(Data), Describe(again));
    }

    [Fact]
    public void Ids_and_tokens_are_unique_and_look_like_metas()
    {
        var conversations = Data.Pages.SelectMany(p => p.Conversations).ToList();

        Assert.Equal(conversations.Count, conversations.Select(c => c.Id).Distinct().Count());
        Assert.Equal(Messages.Count(), Messages.Select(m => m.Id).Distinct().Count());
        Assert.Equal(2, Data.Pages.Select(p => p.AccessToken).Distinct().Count());
        Assert.All(Data.Pages, p => Assert.StartsWith("EAA", p.AccessToken));
        Assert.All(conversations.Where(c => c.Platform == InboxPlatform.Messenger), c => Assert.Matches("^t_[0-9]+$", c.Id));
    }

    [Fact]
    public void Conversations_hold_between_1_and_60_messages_many_over_20_newest_first()
    {
        var conversations = Data.Pages.SelectMany(p => p.Conversations).ToList();

        Assert.All(conversations, c =>
        {
            Assert.InRange(c.MessageCount, 1, 60);
            Assert.Equal(c.UpdatedTime, c.Messages[0].CreatedTime);
            Assert.Equal(c.Messages.Select(m => m.CreatedTime).OrderDescending(), c.Messages.Select(m => m.CreatedTime));
            Assert.Equal(Enumerable.Range(0, c.MessageCount), c.Messages.Select(m => m.Position));
        });
        Assert.True(conversations.Count(c => c.MessageCount > 20) >= conversations.Count / 4);
    }

    [Fact]
    public void Messages_have_attachments_stickers_replies_empty_texts_tags_and_unicode()
    {
        Assert.Contains(Messages, m => m.Attachments.Any(a => a.Kind == AttachmentKind.Image));
        Assert.Contains(Messages, m => m.Attachments.Any(a => a.Kind == AttachmentKind.Video));
        Assert.Contains(Messages, m => m.Attachments.Any(a => a.Kind == AttachmentKind.File));
        Assert.Contains(Messages, m => m.Sticker is not null);
        Assert.Contains(Messages, m => m.ReplyTo is not null);
        Assert.Contains(Messages, m => m.Text.Length == 0);
        Assert.Contains(Messages, m => m.Tags.Contains("read"));
        Assert.Contains(Messages, m => m.Text.Any(char.IsSurrogate));
        Assert.Contains(Messages, m => m.Text.Any(c => c is >= '\u0590' and <= '\u06FF'));
        Assert.Contains(Messages, m => m.Text.Any(c => c is >= '\u4E00' and <= '\u9FFF'));
    }

    [Fact]
    public void Every_folder_is_seeded_and_the_inbox_has_the_configured_count()
    {
        Assert.All(Data.Pages, page =>
        {
            Assert.Equal(24, page.Folder(InboxPlatform.Messenger).Count);
            Assert.Equal(24, page.Folder(InboxPlatform.Instagram).Count);
            Assert.All(["other", "pending", "spam"], folder => Assert.NotEmpty(page.Folder(InboxPlatform.Messenger, folder)));
            Assert.All(["other", "requests", "spam"], folder => Assert.NotEmpty(page.Folder(InboxPlatform.Instagram, folder)));
        });
    }

    [Fact]
    public void Dates_go_back_from_a_fixed_base_date()
    {
        Assert.All(Messages, m => Assert.True(m.CreatedTime < new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    private static string Describe(InboxData data) => string.Join('\n', data.Pages.SelectMany(p => p.Conversations.SelectMany(c =>
        c.Messages.Select(m => $"{p.AccessToken}|{c.Id}|{c.Folder}|{c.UpdatedTime:O}|{m.Id}|{m.CreatedTime:O}|{m.Text}|{m.Sticker}|" +
            $"{string.Join(',', m.Attachments.Select(a => a.Url))}|{m.ReplyTo}|{string.Join(',', m.Tags)}"))));
}
