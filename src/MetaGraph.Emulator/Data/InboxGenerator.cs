using System.Text;

namespace MetaGraph.Emulator.Data;

/// <summary>Builds the deterministic demo inboxes: one <see cref="Random"/> seeded from the options, a fixed base date.</summary>
public static class InboxGenerator
{
    private static readonly DateTimeOffset BaseTime = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Names =
        ["Ana María López", "Zoë Ålander", "李雷", "محمد الأحمد", "Oluwaseun Adé", "Jürgen Groß", "Priya Raman", "Kenji 佐藤", "Chloé Dubois", "Sam Carter"];

    private static readonly string[] Texts =
    [
        "Hi! Is this still available?", "Thanks 🙏", "Can you ship to Lisbon?", "", "Order #4521 arrived, all good 👍",
        "こんにちは、在庫はありますか？", "مرحبا، هل يمكنني تغيير الطلب؟", "What are your opening hours?", "👍", "Sure, I'll send a photo",
        "The size M doesn't fit, can I swap it for L?", "Grüße aus München!", "ok", "Let me check and get back to you.", "¿Hacen envíos a México?",
    ];

    public static InboxData Generate(EmulatorOptions options)
    {
        var random = new Random(options.Seed);
        var pages = new List<PageData>();
        for (var p = 1; p <= options.Pages; p++)
        {
            var pageId = $"10400000000000{p}";
            var token = $"EAAEmulatorPage{p}" + RandomText(random, 48, Alphanumeric);
            var igAccount = $"1784140000000000{p}";
            var page = new ParticipantData(pageId, $"Demo Shop {p}", $"{pageId}@facebook.com", null);
            var igPage = new ParticipantData(igAccount, null, null, $"demo.shop{p}");
            var conversations = new List<ConversationData>();
            foreach (var platform in new[] { InboxPlatform.Messenger, InboxPlatform.Instagram })
            {
                var updated = BaseTime.AddMinutes(-p * 7);
                for (var c = 0; c < options.ConversationsPerPlatform; c++)
                {
                    updated = updated.AddMinutes(-(17 + random.Next(240)));
                    var messenger = platform == InboxPlatform.Messenger;
                    var userId = messenger ? $"{7000000000000000L + p * 100000L + c * 37L + random.Next(30)}" : $"{17841000000000000L + p * 100000L + c * 41L + random.Next(40)}";
                    var user = messenger
                        ? new ParticipantData(userId, Names[(c + p) % Names.Length], $"{userId}@facebook.com", null)
                        : new ParticipantData(userId, null, null, $"{Names[(c + p) % Names.Length].Split(' ')[0].ToLowerInvariant()}_{c}");
                    var owner = messenger ? page : igPage;
                    var id = messenger
                        ? $"t_{587956915396000L + p * 10000L + c}"
                        : Base64Url($"ig_d:1:IGMessageThread:{igAccount}:3402823668417103009491281370{p:D2}{c:D5}");
                    var count = random.Next(100) < 40
                        ? 21 + random.Next(Math.Max(1, options.MaxMessagesPerConversation - 20))
                        : 1 + random.Next(Math.Min(20, options.MaxMessagesPerConversation));
                    count = Math.Min(count, options.MaxMessagesPerConversation);
                    var messages = Messages(random, messenger, user, owner, updated, count);
                    var folder = c % 13 == 12 ? "spam" : c % 11 == 10 ? (messenger ? "pending" : "requests") : c % 7 == 6 ? "other" : "inbox";
                    conversations.Add(new ConversationData(id, platform, folder, updated, [user, owner], random.Next(4), messages));
                }
            }
            pages.Add(new PageData(pageId, page.Name!, token, igAccount, igPage.Username!, conversations));
        }
        return new InboxData(pages);
    }

    private static List<MessageData> Messages(Random random, bool messenger, ParticipantData user, ParticipantData owner, DateTimeOffset newest, int count)
    {
        // Built oldest first so replies can point back; returned newest first.
        var oldestFirst = new List<MessageData>(count);
        var time = newest.AddMinutes(-count * 9);
        for (var i = 0; i < count; i++)
        {
            time = i == count - 1 ? newest : time.AddMinutes(1 + random.Next(9));
            var fromUser = random.Next(100) < 55;
            var id = messenger ? "m_" + RandomText(random, 40, Base64Chars) : "aWdfZAG1" + RandomText(random, 56, Base64Chars);
            var attachments = new List<AttachmentData>();
            string? sticker = null;
            var text = Texts[random.Next(Texts.Length)];
            var roll = random.Next(100);
            if (roll < 8)
            {
                attachments.Add(new AttachmentData(RandomDigits(random, 16), "image/jpeg", $"photo_{i}.jpg", 20_000 + random.Next(900_000),
                    $"https://scontent.example/v/t1.15752-9/{RandomDigits(random, 9)}_n.jpg", "image", 1080, 1350, null));
            }
            else if (roll < 12)
            {
                attachments.Add(new AttachmentData(RandomDigits(random, 16), "video/mp4", $"clip_{i}.mp4", 500_000 + random.Next(9_000_000),
                    $"https://video.example/v/t42.3356-2/{RandomDigits(random, 9)}_n.mp4", "video", 720, 1280, 3 + random.Next(50)));
            }
            else if (roll < 15)
            {
                attachments.Add(new AttachmentData(RandomDigits(random, 16), "application/pdf", $"invoice-{i}.pdf", 30_000 + random.Next(300_000),
                    $"https://cdn.example/v/t59.2708-21/{RandomDigits(random, 9)}_n.pdf", "file", 0, 0, null));
            }
            else if (messenger && roll < 20)
            {
                sticker = $"https://scontent.example/v/t39.1997-6/{RandomDigits(random, 9)}_n.png";
                text = "";
            }
            var replyTo = oldestFirst.Count > 2 && random.Next(100) < 12 ? oldestFirst[random.Next(oldestFirst.Count)].Id : null;
            string[] tags = fromUser ? ["inbox", "read"] : ["sent", "source:web"];
            oldestFirst.Add(new MessageData(id, time, fromUser ? user : owner, fromUser ? owner : user, text, sticker, attachments, replyTo, tags));
        }
        oldestFirst.Reverse();
        return oldestFirst;
    }

    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Base64Chars = Alphanumeric + "-_";

    private static string RandomText(Random random, int length, string alphabet)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }
        return builder.ToString();
    }

    private static string RandomDigits(Random random, int length) => (1 + random.Next(9)) + RandomText(random, length - 1, "0123456789");

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
