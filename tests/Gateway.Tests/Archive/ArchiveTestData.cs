using Gateway.Archive;
using MetaGraph;

namespace Gateway.Tests.Archive;

/// <summary>Messages and conversations as the gateway's sources would write them.</summary>
internal static class ArchiveTestData
{
    public const string PageId = "page_1";

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static ArchivedMessage Message(string id, string? text, DateTimeOffset? created = null, string conversationId = "t_1",
        string pageId = PageId, string fromId = "person_1", Platform platform = Platform.Messenger,
        MessageSources source = MessageSources.Webhook) => new()
    {
        Id = id,
        ConversationId = conversationId,
        PageId = pageId,
        Platform = platform,
        CreatedTime = created ?? Start,
        Sources = source,
        From = new Participant { Id = fromId },
        Text = text,
    };

    public static ArchivedConversation Conversation(string id = "t_1", params Participant[] participants) => new()
    {
        Id = id,
        PageId = PageId,
        Platform = Platform.Messenger,
        UpdatedTime = Start,
        Participants = participants,
    };
}
