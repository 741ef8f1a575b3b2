namespace MetaGraph.Emulator.Data;

public enum InboxPlatform { Messenger, Instagram }

public enum AttachmentKind { Image, Video, File, Audio }

/// <summary>Graph's <c>video_data.video_type</c>, numbered in the order of Meta's own SDK enum (facebook-python-business-sdk,
/// <c>video_type_enum</c>): an uploaded file, a video recorded in the app, a speaking or recorded sticker, a video mail.</summary>
public enum VideoType { FileAttachment, RecordedVideo, SpeakingSticker, RecordedSticker, VideoMail }

/// <summary>The emulator's whole data set at one moment, read-only: what the Graph API serves, and what tests compare answers
/// with. The living inbox changes by publishing a new snapshot (<see cref="With"/>), so a reader always sees one moment.</summary>
public sealed class InboxData
{
    /// <summary>Only this many of a conversation's newest messages have details (Meta's 20-message rule).</summary>
    public const int MessagesWithDetails = 20;

    public const string DefaultFolder = "inbox";

    public static readonly IReadOnlyList<string> Folders = ["inbox", "other", "pending", "requests", "spam"];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PageData> _pagesByToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PageData> _pagesById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConversationData> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MessageData> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MessageData> _unsent = new(StringComparer.Ordinal);

    public InboxData(IReadOnlyList<PageData> pages)
    {
        Pages = pages;
        foreach (var page in pages)
        {
            _pagesByToken[page.AccessToken] = page;
            _pagesById.Add(page.PageId, page);
            _pagesById.Add(page.InstagramAccountId, page);
            foreach (var conversation in page.Conversations)
            {
                _conversations.Add(conversation.Id, conversation);
                foreach (var message in conversation.Messages)
                {
                    _messages.Add(message.Id, message);
                }
            }
        }
    }

    /// <summary>The snapshot after <paramref name="previous"/> with one conversation of <paramref name="page"/> added or replaced.</summary>
    private InboxData(InboxData previous, PageData page, ConversationData? replaced, ConversationData conversation)
    {
        Pages = previous.Pages.Select(p => p.PageId == page.PageId ? page : p).ToArray();
        foreach (var each in Pages)
        {
            _pagesById.Add(each.PageId, each);
            _pagesById.Add(each.InstagramAccountId, each);
        }
        // Every token stays valid, issued ones included, and now reads the Page's new snapshot.
        foreach (var (token, owner) in previous._pagesByToken)
        {
            _pagesByToken[token] = _pagesById[owner.PageId];
        }
        _conversations = new Dictionary<string, ConversationData>(previous._conversations, StringComparer.Ordinal) { [conversation.Id] = conversation };
        _messages = new Dictionary<string, MessageData>(previous._messages, StringComparer.Ordinal);
        _unsent = new Dictionary<string, MessageData>(previous._unsent, StringComparer.Ordinal);
        foreach (var message in replaced?.Messages ?? [])
        {
            _messages.Remove(message.Id);
            _unsent[message.Id] = message;
        }
        foreach (var message in conversation.Messages)
        {
            _messages.Add(message.Id, message);
            _unsent.Remove(message.Id);
        }
    }

    public IReadOnlyList<PageData> Pages { get; }

    /// <summary>This snapshot with <paramref name="conversation"/> added, or replacing the conversation with its id.</summary>
    internal InboxData With(ConversationData conversation)
    {
        var page = FindPage(conversation.PageId)!;
        var replaced = FindConversation(conversation.Id);
        var conversations = replaced is null
            ? [.. page.Conversations, conversation]
            : page.Conversations.Select(c => c.Id == conversation.Id ? conversation : c).ToList();
        return new InboxData(this, new PageData(page.PageId, page.Name, page.AccessToken, page.InstagramAccountId,
            page.InstagramUsername, conversations), replaced, conversation);
    }

    public PageData? FindPageByToken(string token) => _pagesByToken.GetValueOrDefault(token);

    /// <summary>Issues another valid token for a Page, as Meta gives each of a Page's admins their own Page token.
    /// All tokens of a Page share its rate allowance.</summary>
    public string IssueAccessToken(string pageId)
    {
        var page = _pagesById[pageId];
        var token = $"{page.AccessToken}ZZ{_pagesByToken.Count}";
        _pagesByToken[token] = page;
        return token;
    }

    /// <summary>A Page by its Page id or by its Instagram account id.</summary>
    public PageData? FindPage(string id) => _pagesById.GetValueOrDefault(id);

    public ConversationData? FindConversation(string id) => _conversations.GetValueOrDefault(id);

    public MessageData? FindMessage(string id) => _messages.GetValueOrDefault(id);

    /// <summary>A message its sender unsent: it left its conversation, and Graph answers that it was deleted.</summary>
    public MessageData? FindUnsentMessage(string id) => _unsent.GetValueOrDefault(id);
}

/// <summary>A Facebook Page with its linked Instagram professional account and both inboxes.</summary>
public sealed class PageData(string pageId, string name, string accessToken, string instagramAccountId, string instagramUsername,
    IReadOnlyList<ConversationData> conversations)
{
    private static readonly IReadOnlyList<ConversationData> None = [];

    private readonly Dictionary<(InboxPlatform, string), List<ConversationData>> _folders = conversations
        .GroupBy(c => (c.Platform, c.Folder))
        .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.UpdatedTime).ToList());

    // Built on first use: a large Page's snapshot is rebuilt on every change, and most snapshots are never asked.
    private readonly Lazy<Dictionary<string, ConversationData>> _byPerson = new(() => conversations
        .GroupBy(c => c.Customer.Id, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal));

    public string PageId { get; } = pageId;
    public string Name { get; } = name;
    public string AccessToken { get; } = accessToken;
    public string InstagramAccountId { get; } = instagramAccountId;
    public string InstagramUsername { get; } = instagramUsername;

    /// <summary>Every conversation of both platforms and all folders.</summary>
    public IReadOnlyList<ConversationData> Conversations { get; } = conversations;

    /// <summary>The people the Page can message: everyone in its inboxes who has neither blocked it nor become unavailable
    /// (our reading of Meta's "engaged users", which prices the rest of the Messenger API at 200 calls each per 24 hours).</summary>
    public int EngagedUsers => _byPerson.Value.Values.Count(c => c.Availability == PersonAvailability.Available);

    /// <summary>The conversation with this person (a PSID or IGSID, each unique to one platform), or null.</summary>
    public ConversationData? ConversationWith(string personId) => _byPerson.Value.GetValueOrDefault(personId);

    /// <summary>One folder of one inbox, most recently updated first: what <c>/{page}/conversations</c> lists.</summary>
    public IReadOnlyList<ConversationData> Folder(InboxPlatform platform, string folder = InboxData.DefaultFolder)
        => _folders.TryGetValue((platform, folder), out var list) ? list : None;
}

/// <summary>A conversation; <see cref="Messages"/> are newest first, and the first of them was sent at <see cref="UpdatedTime"/>.</summary>
public sealed record ConversationData(
    string Id,
    string PageId,
    InboxPlatform Platform,
    string Folder,
    DateTimeOffset UpdatedTime,
    IReadOnlyList<ParticipantData> Participants,
    int UnreadCount,
    string Snippet,
    IReadOnlyList<MessageData> Messages)
{
    public int MessageCount => Messages.Count;

    /// <summary>The person the Page talks with (participants are that person, then the Page).</summary>
    public ParticipantData Customer => Participants[0];

    /// <summary>Whether the Page can still message the person (Graph's <c>can_reply</c>).</summary>
    public PersonAvailability Availability { get; init; } = PersonAvailability.Available;
}

/// <summary>Whether a person receives the Page's messages: <see cref="Blocked"/> when they stopped it (Meta answers a send
/// with 551, "This person isn't receiving messages from you right now"), <see cref="Unavailable"/> when they cannot be
/// reached at all (551, subcode 1545041, "This person isn't available right now").</summary>
public enum PersonAvailability { Available, Blocked, Unavailable }

/// <summary>A message. <see cref="Position"/> counts from the newest (0) in its conversation.</summary>
public sealed record MessageData(
    string Id,
    string ConversationId,
    int Position,
    DateTimeOffset CreatedTime,
    ParticipantData From,
    IReadOnlyList<ParticipantData> To,
    string Text,
    string? Sticker,
    IReadOnlyList<AttachmentData> Attachments,
    ReplyData? ReplyTo,
    IReadOnlyList<string> Tags,
    bool IsUnsupported)
{
    /// <summary>Whether Graph still serves this message's details (the 20-message rule).</summary>
    public bool HasDetails => Position < InboxData.MessagesWithDetails;

    /// <summary>Links shared in the message (Graph gives only the image or video URL of a shared item).</summary>
    public IReadOnlyList<ShareData> Shares { get; init; } = [];

    /// <summary>The Instagram story the message replies to or mentions.</summary>
    public StoryData? Story { get; init; }

    public IReadOnlyList<ReactionData> Reactions { get; init; } = [];
}

/// <summary>A Messenger person or Page has <see cref="Name"/> and <see cref="Email"/>; an Instagram account has <see cref="Username"/>
/// and <see cref="UserId"/>, its Instagram user id next to the Instagram-scoped <see cref="Id"/>.</summary>
public sealed record ParticipantData(string Id, string? Name, string? Email, string? Username, string? UserId = null)
{
    /// <summary>Where the user profile read (<c>GET /{PSID|IGSID}?fields=profile_pic</c>) says the avatar is.</summary>
    public string ProfilePic => $"https://platform-lookaside.emulator.invalid/platform/profilepic/?psid={Id}&height=50&width=50";
}

/// <summary>One item of a message's <c>shares</c>: <see cref="Link"/> is the image or video URL of what was shared.</summary>
public sealed record ShareData(string Id, string Link, string Name, string Description, string? Picture);

public enum StoryKind { Mention, ReplyTo }

/// <summary>An Instagram story that a message mentions or replies to.</summary>
public sealed record StoryData(StoryKind Kind, string Id, string Link);

/// <summary>One reaction (an emoji or a name such as <c>love</c>) and who reacted with it.</summary>
public sealed record ReactionData(string Reaction, IReadOnlyList<ParticipantData> Users);

public sealed record ReplyData(string MessageId, bool IsSelfReply);

/// <summary>An attachment; <see cref="Width"/>, <see cref="Height"/> and <see cref="PreviewUrl"/> describe images and videos,
/// <see cref="LengthSeconds"/> videos only.</summary>
public sealed record AttachmentData(
    string Id,
    AttachmentKind Kind,
    string MimeType,
    string Name,
    long Size,
    string Url,
    string? PreviewUrl,
    int Width,
    int Height,
    double? LengthSeconds)
{
    /// <summary>An animated image (GIF or WebP) carries <c>animated_gif_url</c> and <c>animated_webp_url</c> in its <c>image_data</c>.</summary>
    public bool Animated { get; init; }

    /// <summary>Whether Messenger shows the image as a sticker rather than a photo.</summary>
    public bool RenderAsSticker { get; init; }

    /// <summary>How a video was made; an uploaded file unless a person recorded it.</summary>
    public VideoType VideoType { get; init; }
}
