using System.Text;

namespace MetaGraph.Emulator.Data;

/// <summary>Builds the demo inboxes from one seeded <see cref="Random"/> and a fixed base date, so the same options
/// always give the same data.</summary>
public static class InboxGenerator
{
    /// <summary>The moment the seed is written at: every seeded message is before it.</summary>
    internal static readonly DateTimeOffset SeedTime = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] PersonNames =
    [
        "Ana María López", "Zoë Ålander", "李雷", "محمد الأحمد", "Oluwaseun Adéyemí", "Jürgen Groß", "Priya Raman",
        "佐藤 健二", "Chloé Dubois", "Sam Carter", "Ngozi Okafor", "Ιωάννης Παπαδόπουλος", "Олена Коваленко", "יעל כהן",
    ];

    private static readonly string[] Usernames =
        ["ana.lopez", "zoe_alander", "li.lei88", "m.alahmad", "seun.adeyemi", "juergen.gross", "priya.r", "kenji_sato",
         "chloe.dbs", "samcarter", "ngozi_ok", "ioannis.p", "olena.kov", "yael.cohen"];

    private static readonly string[] CustomerTexts =
    [
        "Hi! Is this still available?", "Thanks 🙏", "Can you ship to Lisbon?", "", "Order #4521 arrived, all good 👍",
        "こんにちは、在庫はありますか？", "مرحبا، هل يمكنني تغيير الطلب؟", "What are your opening hours?", "👍",
        "The size M doesn't fit, can I swap it for L?", "¿Hacen envíos a México?", "你好，这个有蓝色的吗？",
        "שלום, מתי ההזמנה תגיע?", "Is there a discount for two? 🤔🛍️", "ok", "Here is the receipt",
    ];

    private static readonly string[] PageTexts =
    [
        "Hello! Yes, it is 😊", "We ship to all of Europe within 3–5 days.", "We're open 9:00–18:00, Monday to Saturday.",
        "Sure, I'll send a photo", "Let me check and get back to you.", "Of course! Send it back and we'll swap it.",
        "Grüße aus München! 🥨", "Thanks for your order ❤️", "", "Your tracking number is LX123456789PT.",
    ];

    private static readonly (int Width, int Height)[] ImageSizes = [(1080, 1350), (1280, 720), (720, 1280), (1080, 1080)];

    public static InboxData Generate(EmulatorOptions options)
    {
        var random = new Random(options.Seed);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var pages = new List<PageData>(options.Pages + 1);
        var max = options.MaxMessagesPerConversation;
        for (var p = 1; p <= options.Pages; p++)
        {
            // The newest conversation is always a long one, so every seed shows the 20-message rule.
            pages.Add(Page(random, ids, p, $"Emulator Shop {p}", options.ConversationsPerPlatform, r => 17 + r.Next(240),
                (r, c) => c == 0 ? max : MessageCount(r, max)));
        }
        if (options.LargePageConversations > 0)
        {
            // Its own sequence, drawn after the others: the other Pages are the same with or without it.
            pages.Add(Page(new Random(options.Seed ^ 0x1A26E), ids, options.Pages + 1, "Emulator Shop Large", options.LargePageConversations,
                r => 1 + r.Next(30), (r, c) => c % 50 == 0 ? max : 1 + r.Next(Math.Min(6, max))));
        }
        return new InboxData(pages);
    }

    /// <summary>Page <paramref name="p"/> with <paramref name="inbox"/> inbox conversations per platform (and the other folders'),
    /// each <paramref name="gapMinutes"/> older than the one before, with <paramref name="messageCount"/> messages.</summary>
    private static PageData Page(Random random, HashSet<string> ids, int p, string name, int inbox, Func<Random, int> gapMinutes,
        Func<Random, int, int> messageCount)
    {
        var pageId = (104_000_000_000_000L + p).ToString();
        var instagramId = (17_841_400_000_000_000L + p).ToString();
        var page = new ParticipantData(pageId, name, $"{pageId}@facebook.com", null);
        var instagram = new ParticipantData(instagramId, null, null, $"emulator.shop{p}", InstagramUserId(instagramId));
        var token = $"EAAEmulatorPage{p}" + RandomText(random, 64, Alphanumeric);
        var conversations = new List<ConversationData>();
        foreach (var platform in (InboxPlatform[])[InboxPlatform.Messenger, InboxPlatform.Instagram])
        {
            var owner = platform == InboxPlatform.Messenger ? page : instagram;
            var updated = SeedTime.AddMinutes(-7 * p - (platform == InboxPlatform.Messenger ? 0 : 3));
            var folders = FolderPlan(random, platform, inbox);
            for (var c = 0; c < folders.Count; c++)
            {
                updated = updated.AddMinutes(-gapMinutes(random));
                var count = messageCount(random, c);
                conversations.Add(Conversation(random, ids, platform, pageId, owner, folders[c], updated, count, c));
            }
        }
        return new PageData(pageId, name, token, instagramId, instagram.Username!, conversations);
    }

    /// <summary><paramref name="inbox"/> conversations in the inbox, plus one in each other folder per 12 of them,
    /// shuffled so the folders interleave in time.</summary>
    private static List<string> FolderPlan(Random random, InboxPlatform platform, int inbox)
    {
        string[] others = platform == InboxPlatform.Messenger ? ["other", "pending", "spam"] : ["requests", "other", "spam"];
        var plan = Enumerable.Repeat(InboxData.DefaultFolder, inbox).ToList();
        foreach (var folder in others)
        {
            for (var i = 0; i < inbox / 12; i++)
            {
                plan.Insert(1 + random.Next(plan.Count), folder);
            }
        }
        return plan;
    }

    private static int MessageCount(Random random, int max)
        => random.Next(100) < 45 && max > 20 ? 21 + random.Next(max - 20) : 1 + random.Next(Math.Min(20, max));

    private static ConversationData Conversation(Random random, HashSet<string> ids, InboxPlatform platform, string pageId,
        ParticipantData owner, string folder, DateTimeOffset updated, int messageCount, int index)
    {
        var messenger = platform == InboxPlatform.Messenger;
        var person = index % PersonNames.Length;
        var customerId = Unique(ids, () => PersonId(random, platform));
        var customer = messenger
            ? new ParticipantData(customerId, PersonNames[person], $"{customerId}@facebook.com", null)
            : new ParticipantData(customerId, null, null, $"{Usernames[person]}{(index >= Usernames.Length ? index : "")}", InstagramUserId(customerId));
        var id = Unique(ids, () => ConversationId(random, platform, owner.Id));

        // Built oldest first so a reply can point back at an earlier message; served newest first.
        var times = new DateTimeOffset[messageCount];
        times[0] = updated;
        for (var i = 1; i < messageCount; i++)
        {
            times[i] = times[i - 1].AddMinutes(-(1 + random.Next(i % 7 == 0 ? 2880 : 90)));
        }
        var fromCustomer = new bool[messageCount];
        for (var i = 0; i < messageCount; i++)
        {
            fromCustomer[i] = random.Next(100) < 55;
        }
        var unread = 0;
        while (unread < Math.Min(3, messageCount) && fromCustomer[unread])
        {
            unread++;
        }
        var oldestFirst = new List<MessageData>(messageCount);
        for (var position = messageCount - 1; position >= 0; position--)
        {
            var sender = fromCustomer[position] ? customer : owner;
            var recipient = fromCustomer[position] ? owner : customer;
            oldestFirst.Add(Message(random, ids, messenger, id, position, times[position], sender, recipient,
                fromCustomer[position], unread: position < unread, oldestFirst));
        }
        var messages = MessageExtras.Add(Enumerable.Reverse(oldestFirst).ToList(), id, platform, customer, owner, showcase: index == 0);
        return new ConversationData(id, pageId, platform, folder, updated, [customer, owner], unread,
            Snippet(messages[0]), messages);
    }

    private static MessageData Message(Random random, HashSet<string> ids, bool messenger, string conversationId, int position,
        DateTimeOffset time, ParticipantData from, ParticipantData to, bool fromCustomer, bool unread, List<MessageData> earlier)
    {
        var id = Unique(ids, () => MessageId(random, messenger ? InboxPlatform.Messenger : InboxPlatform.Instagram, from.Id));
        var texts = fromCustomer ? CustomerTexts : PageTexts;
        var text = texts[random.Next(texts.Length)];
        string? sticker = null;
        var unsupported = false;
        var attachments = new List<AttachmentData>();
        var roll = random.Next(100);
        if (roll < 9)
        {
            var photos = random.Next(100) < 25 ? 2 : 1;
            for (var i = 0; i < photos; i++)
            {
                attachments.Add(Image(random));
            }
        }
        else if (roll < 13)
        {
            attachments.Add(Video(random));
        }
        else if (roll < 16)
        {
            attachments.Add(File(random));
        }
        else if (messenger && roll < 21)
        {
            sticker = $"https://scontent.emulator.invalid/v/t39.1997-6/{RandomDigits(random, 9)}_{RandomDigits(random, 15)}_n.png";
            text = "";
        }
        else if (fromCustomer && roll == 21)
        {
            unsupported = true;
            text = "";
        }
        if (attachments.Count > 0 && random.Next(100) < 50)
        {
            text = "";
        }
        ReplyData? replyTo = null;
        if (earlier.Count > 2 && random.Next(100) < 10)
        {
            var original = earlier[earlier.Count - 1 - random.Next(Math.Min(5, earlier.Count))];
            replyTo = new ReplyData(original.Id, original.From.Id == from.Id);
        }
        IReadOnlyList<string> tags = !messenger ? []
            : fromCustomer ? unread ? ["inbox"] : ["inbox", "read"]
            : ["sent", random.Next(3) == 0 ? "source:chat" : "source:web"];
        return new MessageData(id, conversationId, position, time, from, [to], text, sticker, attachments, replyTo, tags, unsupported);
    }

    /// <summary>A PSID (16 digits) or an IGSID (17 digits).</summary>
    internal static string PersonId(Random random, InboxPlatform platform) => RandomDigits(random, platform == InboxPlatform.Messenger ? 16 : 17);

    internal static string ConversationId(Random random, InboxPlatform platform, string ownerId) => platform == InboxPlatform.Messenger
        ? "t_" + RandomDigits(random, 15)
        : "aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6" + Base64Url($"{ownerId}:3402823668417103009{RandomDigits(random, 20)}");

    internal static string MessageId(Random random, InboxPlatform platform, string senderId) => platform == InboxPlatform.Messenger
        ? "m_" + RandomText(random, 86, Base64UrlAlphabet)
        : "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj" + Base64Url($"{senderId}:{RandomDigits(random, 39)}");

    private static AttachmentData Image(Random random)
    {
        var (width, height) = ImageSizes[random.Next(ImageSizes.Length)];
        var file = $"{RandomDigits(random, 9)}_{RandomDigits(random, 15)}";
        return new AttachmentData(RandomDigits(random, 15), AttachmentKind.Image, "image/jpeg", $"image-{file[..6]}.jpg",
            40_000 + random.Next(900_000), $"https://scontent.emulator.invalid/v/t1.15752-9/{file}_n.jpg",
            $"https://scontent.emulator.invalid/v/t1.15752-9/p100x100/{file}_n.jpg", width, height, null);
    }

    private static AttachmentData Video(Random random)
    {
        var file = $"{RandomDigits(random, 9)}_{RandomDigits(random, 15)}";
        return new AttachmentData(RandomDigits(random, 15), AttachmentKind.Video, "video/mp4", $"video-{file[..6]}.mp4",
            500_000 + random.Next(9_000_000), $"https://video.emulator.invalid/v/t42.3356-2/{file}_n.mp4",
            $"https://scontent.emulator.invalid/v/t15.3394-10/{file}_n.jpg", 720, 1280, 3 + random.Next(57));
    }

    private static AttachmentData File(Random random)
    {
        var file = RandomDigits(random, 9);
        return new AttachmentData(RandomDigits(random, 15), AttachmentKind.File, "application/pdf", $"invoice-{file[..5]}.pdf",
            30_000 + random.Next(300_000), $"https://cdn.emulator.invalid/v/t59.2708-21/{file}_n.pdf/invoice-{file[..5]}.pdf", null, 0, 0, null);
    }

    /// <summary>What a conversation's <c>snippet</c> shows for its newest message.</summary>
    internal static string Snippet(MessageData newest) => newest switch
    {
        { Text.Length: > 0 } => newest.Text,
        { Sticker: not null } => $"{Author(newest)} sent a sticker.",
        { Attachments.Count: > 0 } => $"{Author(newest)} sent an attachment.",
        _ => "",
    };

    /// <summary>An Instagram participant's <c>user_id</c>, stable for its Instagram-scoped id.</summary>
    private static string InstagramUserId(string scopedId) => (17_800_000_000_000_000UL + MessageExtras.StableHash(scopedId) % 99_999_999_999_999UL).ToString();

    private static string Author(MessageData message) => message.From.Name ?? message.From.Username!;

    private static string Unique(HashSet<string> ids, Func<string> next)
    {
        string id;
        do
        {
            id = next();
        }
        while (!ids.Add(id));
        return id;
    }

    private const string Digits = "0123456789";
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" + Digits;
    private const string Base64UrlAlphabet = Alphanumeric + "-_";

    private static string RandomText(Random random, int length, string alphabet)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }
        return builder.ToString();
    }

    internal static string RandomDigits(Random random, int length) => (char)('1' + random.Next(9)) + RandomText(random, length - 1, Digits);

    private static string Base64Url(string text)
        => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
