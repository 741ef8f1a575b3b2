namespace MetaGraph.Emulator.Data;

public enum InboxPlatform { Messenger, Instagram }

/// <summary>The emulator's whole data set, read-only, for the emulator and for tests to compare against.</summary>
public sealed class InboxData(IReadOnlyList<PageData> pages)
{
    public IReadOnlyList<PageData> Pages { get; } = pages;
}

public sealed record PageData(string PageId, string Name, string AccessToken, string InstagramAccountId, string InstagramUsername,
    IReadOnlyList<ConversationData> Conversations)
{
    public IEnumerable<ConversationData> On(InboxPlatform platform) => Conversations.Where(c => c.Platform == platform);
}

/// <summary>A conversation; <see cref="Messages"/> are newest first.</summary>
public sealed record ConversationData(string Id, InboxPlatform Platform, string Folder, DateTimeOffset UpdatedTime,
    IReadOnlyList<ParticipantData> Participants, int UnreadCount, IReadOnlyList<MessageData> Messages)
{
    public string Snippet => Messages.FirstOrDefault(m => m.Text.Length > 0)?.Text ?? "";
}

public sealed record MessageData(string Id, DateTimeOffset CreatedTime, ParticipantData From, ParticipantData To, string Text,
    string? Sticker, IReadOnlyList<AttachmentData> Attachments, string? ReplyToId, IReadOnlyList<string> Tags);

public sealed record ParticipantData(string Id, string? Name, string? Email, string? Username);

public sealed record AttachmentData(string Id, string MimeType, string Name, long Size, string Url, string Kind, int Width, int Height, double? Length);
