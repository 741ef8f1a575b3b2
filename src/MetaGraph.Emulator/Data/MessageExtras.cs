namespace MetaGraph.Emulator.Data;

/// <summary>
/// Shares, Instagram stories, reactions and animated images on generated messages. They draw from their own
/// <see cref="Random"/>, seeded by the conversation id, so the rest of the seeded data stays as it was. The newest
/// conversation of each inbox shows every kind within its 20 detailed messages, whatever the seed.
/// </summary>
internal static class MessageExtras
{
    private static readonly string[] Reactions = ["love", "😂", "😮", "👍", "❤️"];

    private static readonly (string Name, string Description)[] SharedItems =
    [
        ("Linen shirt, sand", "Summer collection · 49,00 €"), ("Shop window, Lisbon", "Emulator Shop 📍 Rua Augusta"),
        ("Unboxing 🎁", "Reel · 0:23"), ("Size guide", "How to measure: chest, waist, hips"),
    ];

    public static List<MessageData> Add(List<MessageData> newestFirst, string conversationId, InboxPlatform platform,
        ParticipantData customer, ParticipantData owner, bool showcase)
    {
        var random = new Random((int)(StableHash(conversationId) & int.MaxValue));
        var instagram = platform == InboxPlatform.Instagram;
        var messages = new List<MessageData>(newestFirst.Count);
        foreach (var message in newestFirst)
        {
            var fromCustomer = message.From.Id == customer.Id;
            var roll = random.Next(100);
            var extended = message;
            if (roll < 6)
            {
                extended = extended with { Shares = [Share(random)] };
            }
            else if (instagram && fromCustomer && roll < 12)
            {
                extended = extended with { Story = Story(random, roll < 9 ? StoryKind.ReplyTo : StoryKind.Mention) };
            }
            if (instagram && random.Next(100) < 12)
            {
                extended = extended with { Reactions = [new ReactionData(Reactions[random.Next(Reactions.Length)], [fromCustomer ? owner : customer])] };
            }
            if (extended.Attachments is [{ Kind: AttachmentKind.Image } image, ..] && random.Next(100) < 25)
            {
                extended = extended with { Attachments = [Animated(image, renderAsSticker: random.Next(2) == 0), .. extended.Attachments.Skip(1)] };
            }
            messages.Add(extended);
        }
        return showcase ? Showcase(messages, random, instagram, customer, owner) : messages;
    }

    /// <summary>Positions 1 to 5 of the newest conversation carry a share, an animated sticker, a video, and on Instagram
    /// reactions and both kinds of story (on the person's first two messages from position 6).</summary>
    private static List<MessageData> Showcase(List<MessageData> messages, Random random, bool instagram, ParticipantData customer,
        ParticipantData owner)
    {
        if (messages.Count < InboxData.MessagesWithDetails)
        {
            return messages;
        }
        messages[1] = messages[1] with { Shares = [Share(random), Share(random) with { Picture = null }] };
        messages[2] = messages[2] with { Attachments = [Animated(Gif(random), renderAsSticker: true)] };
        messages[3] = messages[3] with { Attachments = [Video(random)] };
        if (instagram)
        {
            messages[4] = messages[4] with { Reactions = [new ReactionData("love", [customer, owner]), new ReactionData("😂", [customer])] };
            var kinds = new Queue<StoryKind>([StoryKind.ReplyTo, StoryKind.Mention]);
            for (var i = 6; i < InboxData.MessagesWithDetails && kinds.Count > 0; i++)
            {
                if (messages[i].From.Id == customer.Id)
                {
                    messages[i] = messages[i] with { Story = Story(random, kinds.Dequeue()), Shares = [] };
                }
            }
        }
        return messages;
    }

    private static ShareData Share(Random random)
    {
        var (name, description) = SharedItems[random.Next(SharedItems.Length)];
        var file = $"{Digits(random, 9)}_{Digits(random, 15)}";
        return new ShareData(Digits(random, 15), $"https://scontent.emulator.invalid/v/t51.2885-15/{file}_n.jpg", name, description,
            $"https://scontent.emulator.invalid/v/t51.2885-15/s130x130/{file}_n.jpg");
    }

    private static StoryData Story(Random random, StoryKind kind)
        => new(kind, Digits(random, 17), $"https://lookaside.emulator.invalid/ig_messaging_cdn/?asset_id={Digits(random, 17)}&signature=emulator");

    private static AttachmentData Gif(Random random)
    {
        var file = $"{Digits(random, 9)}_{Digits(random, 15)}";
        return new AttachmentData(Digits(random, 15), AttachmentKind.Image, "image/gif", $"gif-{file[..6]}.gif", 200_000 + random.Next(800_000),
            $"https://scontent.emulator.invalid/v/t39.1997-6/{file}_n.gif", $"https://scontent.emulator.invalid/v/t39.1997-6/p100x100/{file}_n.gif",
            480, 270, null);
    }

    private static AttachmentData Animated(AttachmentData image, bool renderAsSticker)
        => image with { MimeType = "image/gif", Name = Path.ChangeExtension(image.Name, ".gif"), Animated = true, RenderAsSticker = renderAsSticker };

    private static AttachmentData Video(Random random)
    {
        var file = $"{Digits(random, 9)}_{Digits(random, 15)}";
        return new AttachmentData(Digits(random, 15), AttachmentKind.Video, "video/mp4", $"video-{file[..6]}.mp4", 500_000 + random.Next(9_000_000),
            $"https://video.emulator.invalid/v/t42.3356-2/{file}_n.mp4", $"https://scontent.emulator.invalid/v/t15.3394-10/{file}_n.jpg",
            720, 1280, 3 + random.Next(57));
    }

    private static string Digits(Random random, int length)
        => string.Create(length, random, (chars, r) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)((i == 0 ? '1' : '0') + r.Next(i == 0 ? 9 : 10));
            }
        });

    /// <summary>FNV-1a: the same in every process, unlike <see cref="string.GetHashCode()"/>.</summary>
    public static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }
}
