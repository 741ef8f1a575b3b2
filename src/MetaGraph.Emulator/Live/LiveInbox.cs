using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Webhooks;

namespace MetaGraph.Emulator.Live;

/// <summary>The inbox as people and the Page change it at run time. Changes are made one at a time: each builds the next
/// <see cref="InboxData"/> snapshot from the current one and publishes it whole, so a Graph read sees one moment, and
/// queues its webhook events in the same order. Ids come from one seeded sequence: the same seed and the same changes
/// give the same ids.</summary>
internal sealed partial class LiveInbox
{
    private const int MaxTextLength = 2000;

    /// <summary>The reactions Meta names, and their emoji.</summary>
    private static readonly Dictionary<string, string> Emojis = new(StringComparer.Ordinal)
    {
        ["love"] = "\u2764", ["like"] = "\U0001F44D", ["smile"] = "\U0001F606", ["wow"] = "\U0001F62E", ["sad"] = "\U0001F622",
        ["angry"] = "\U0001F620", ["dislike"] = "\U0001F44E",
    };

    private readonly Lock _writing = new();
    private readonly Random _ids;
    private readonly EmulatorClock _clock;
    private readonly WebhookDelivery _webhooks;
    private InboxData _current;
    private DateTimeOffset _latest;
    private int _people;

    public LiveInbox(InboxData seeded, int seed, EmulatorClock clock, WebhookDelivery webhooks)
    {
        _current = seeded;
        _ids = new Random(seed ^ 0x11BE);
        _clock = clock;
        _webhooks = webhooks;
        _latest = seeded.Pages.SelectMany(p => p.Conversations).Select(c => c.UpdatedTime).DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max();
    }

    public InboxData Current => Volatile.Read(ref _current);

    /// <summary>The reaction names a person or the Page may react with.</summary>
    public static IReadOnlyCollection<string> ReactionNames => Emojis.Keys;

    /// <summary>Writes the messages in order, all or none; their webhook events are queued together.</summary>
    public IReadOnlyList<LiveAnswer> Write(IReadOnlyList<MessageInput> inputs) => Change(inputs, WriteOne);

    public IReadOnlyList<LiveAnswer> Read(IReadOnlyList<ReadInput> inputs) => Change(inputs, ReadOne);

    public IReadOnlyList<LiveAnswer> React(IReadOnlyList<ReactionInput> inputs) => Change(inputs, ReactOne);

    public IReadOnlyList<LiveAnswer> Unsend(IReadOnlyList<UnsendInput> inputs) => Change(inputs, UnsendOne);

    public IReadOnlyList<LiveAnswer> Postback(IReadOnlyList<PostbackInput> inputs) => Change(inputs, PostbackOne);

    public IReadOnlyList<LiveAnswer> SetAvailability(IReadOnlyList<AvailabilityInput> inputs) => Change(inputs, AvailabilityOne);

    private delegate (InboxData Next, LiveAnswer Answer, WebhookEvent? Event) ChangeOne<T>(InboxData data, T input);

    private IReadOnlyList<LiveAnswer> Change<T>(IReadOnlyList<T> inputs, ChangeOne<T> change) => Apply(data =>
    {
        var answers = new List<LiveAnswer>(inputs.Count);
        var events = new List<WebhookEvent>(inputs.Count);
        foreach (var input in inputs)
        {
            (data, var answer, var webhook) = change(data, input);
            answers.Add(answer);
            if (webhook is not null)
            {
                events.Add(webhook);
            }
        }
        return (data, (IReadOnlyList<LiveAnswer>)answers, events);
    });

    /// <summary>Makes one change at a time: it builds the next snapshot from the current one, which is published with its
    /// webhook events queued in the same order; a change that throws changes nothing.</summary>
    private TResult Apply<TResult>(Func<InboxData, (InboxData Next, TResult Result, IReadOnlyList<WebhookEvent> Events)> change)
    {
        lock (_writing)
        {
            var (next, result, events) = change(_current);
            Volatile.Write(ref _current, next);
            _webhooks.Enqueue(events);
            return result;
        }
    }

    private (InboxData, LiveAnswer, WebhookEvent?) WriteOne(InboxData data, MessageInput input)
    {
        var (next, conversation, message, webhook) = Append(data, input, app: null);
        return (next, Answer(conversation, message, message.CreatedTime), webhook);
    }

    /// <summary>The person's tap joins the thread as their message, titled as the button; the webhook is the postback.</summary>
    private (InboxData, LiveAnswer, WebhookEvent?) PostbackOne(InboxData data, PostbackInput input)
    {
        if (string.IsNullOrEmpty(input.Title) || input.Payload is null)
        {
            throw new LiveInputException(400, "A postback has the title of the button tapped and its payload.");
        }
        var (next, conversation, message, _) = Append(data, new MessageInput(input.PageId, input.Platform, input.UserId, input.ConversationId,
            Text: input.Title), app: null);
        var page = next.FindPage(conversation.PageId)!;
        var postback = new JsonObject { ["mid"] = message.Id, ["title"] = input.Title, ["payload"] = input.Payload };
        return (next, Answer(conversation, message, message.CreatedTime), Event(page, conversation.Platform, message.From, message.To[0],
            message.CreatedTime, "postback", postback));
    }

    private (InboxData, LiveAnswer, WebhookEvent?) AvailabilityOne(InboxData data, AvailabilityInput input)
    {
        var page = PageOf(data, input.PageId);
        var platform = PlatformOf(input.Platform);
        var conversation = ConversationOf(data, page, platform, input.ConversationId, input.UserId)
            ?? throw new LiveInputException(input.UserId is null ? 400 : 404, input.UserId is null
                ? "Name the person: userId or conversationId."
                : $"Page {page.PageId} has no {Name(platform)} conversation with person {input.UserId}.");
        var availability = Enum.TryParse<PersonAvailability>(input.Availability, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new LiveInputException(400, "availability is \"available\", \"blocked\" or \"unavailable\".");
        var changed = conversation with { Availability = availability };
        return (data.With(changed), Answer(changed, null, NextTime()), null);
    }

    /// <summary>Appends a message to its conversation as the living inbox does for everyone, the Send API included: it becomes
    /// the newest, and the conversation's time, snippet, counts and listing place follow. <paramref name="app"/> is the app
    /// that sent a Page's message with the Send API, or null for the Page's inbox.</summary>
    private (InboxData Next, ConversationData Conversation, MessageData Message, WebhookEvent Event) Append(InboxData data,
        MessageInput input, SentWithApi? app)
    {
        var page = PageOf(data, input.PageId);
        var platform = PlatformOf(input.Platform);
        var content = ContentOf(platform, input);
        var conversation = ConversationOf(data, page, platform, input.ConversationId, input.UserId);
        if (conversation is null && input.FromPage)
        {
            throw new LiveInputException(404,
                "The Page can only reply in an existing conversation: send the person's userId or a conversationId.");
        }
        var owner = Owner(page, platform);
        var person = conversation?.Customer ?? NewPerson(data, platform, input.UserId, input.Name);
        var (from, to) = input.FromPage ? (owner, person) : (person, owner);
        var conversationId = conversation?.Id
            ?? Unique(() => InboxGenerator.ConversationId(_ids, platform, owner.Id), id => data.FindConversation(id) is null);
        var created = NextTime();
        var message = new MessageData(
            Id: Unique(() => InboxGenerator.MessageId(_ids, platform, from.Id), id => data.FindMessage(id) is null && data.FindUnsentMessage(id) is null),
            ConversationId: conversationId,
            Position: 0,
            CreatedTime: created,
            From: from,
            To: [to],
            Text: content.Text,
            Sticker: content.Sticker?.Url,
            Attachments: content.Attachments.Select(Attachment).ToList(),
            ReplyTo: ReplyOf(data, conversationId, input.ReplyTo, from),
            Tags: platform == InboxPlatform.Instagram ? [] : !input.FromPage ? ["inbox"] : ["sent", app is null ? "source:web" : "source:page_platform_api"],
            IsUnsupported: input.Unsupported)
        {
            Story = content.Story is { } kind ? Story(kind) : null,
        };
        var updated = conversation is null
            ? new ConversationData(conversationId, page.PageId, platform, InboxData.DefaultFolder, created, [person, owner], 1,
                InboxGenerator.Snippet(message), [message])
            : WithMessages(conversation, [message, .. conversation.Messages]) with { UpdatedTime = created };
        if (input.FromPage)
        {
            updated = ReadByPage(updated); // Replying from the inbox reads the thread.
        }
        else if (conversation is not null)
        {
            updated = updated with { UnreadCount = conversation.UnreadCount + 1 };
        }
        var webhook = Event(page, platform, from, to, created, "message", MessageEvents.Message(message, content.Sticker, input.FromPage, app));
        return (data.With(updated), updated, message, webhook);
    }

    /// <summary>What a message carries, checked against what the platform and the sender can send.</summary>
    private static MessageContent ContentOf(InboxPlatform platform, MessageInput input)
    {
        var text = input.Text ?? "";
        var attachments = input.Attachments ?? [];
        if (text.Length > MaxTextLength)
        {
            throw new LiveInputException(400, $"text is at most {MaxTextLength} characters, as on Messenger.");
        }
        if (attachments.Any(a => a.Type?.Equals("sticker", StringComparison.OrdinalIgnoreCase) == true))
        {
            return attachments is [{ } sticker] && text.Length == 0 && platform == InboxPlatform.Messenger && input.Story is null && !input.Unsupported
                ? new MessageContent("", [], StickerOf(sticker), null)
                : throw new LiveInputException(400, "A sticker is a Messenger message of its own: one sticker attachment, no text.");
        }
        if (input.Unsupported)
        {
            return text.Length == 0 && attachments.Count == 0 && !input.FromPage && input.Story is null
                ? new MessageContent("", [], null, null)
                : throw new LiveInputException(400, "An unsupported message is a person's, with no text or attachments.");
        }
        var story = input.Story?.ToLowerInvariant() switch
        {
            null => (StoryKind?)null,
            "mention" when text.Length == 0 && attachments.Count == 0 => StoryKind.Mention,
            "reply" when text.Length > 0 => StoryKind.ReplyTo,
            _ => throw new LiveInputException(400, "story is \"mention\" (no text or attachments) or \"reply\" (with text)."),
        };
        if (story is not null && (platform != InboxPlatform.Instagram || input.FromPage))
        {
            throw new LiveInputException(400, "Only an Instagram person's message mentions or replies to a story.");
        }
        if (text.Length == 0 && attachments.Count == 0 && story is null)
        {
            throw new LiveInputException(400, "A message needs text or attachments.");
        }
        return new MessageContent(text, attachments, null, story);
    }

    private (InboxData, LiveAnswer, WebhookEvent?) ReadOne(InboxData data, ReadInput input)
    {
        var page = PageOf(data, input.PageId);
        var platform = PlatformOf(input.Platform);
        if (input.UserId is null && input.ConversationId is null)
        {
            throw new LiveInputException(400, "Name the conversation that is read: userId or conversationId.");
        }
        var conversation = ConversationOf(data, page, platform, input.ConversationId, input.UserId)
            ?? throw new LiveInputException(404, $"Page {page.PageId} has no {Name(platform)} conversation with person {input.UserId}.");
        var time = NextTime();
        switch (input.By ?? "person")
        {
            case "page":
                var read = ReadByPage(conversation);
                return (data.With(read), Answer(read, null, time), null);
            case "person":
                // Messenger says up to when everything was read; Instagram names the newest message seen.
                var newest = conversation.Messages.FirstOrDefault();
                var seen = platform == InboxPlatform.Messenger
                    ? new JsonObject { ["watermark"] = (newest?.CreatedTime ?? time).ToUnixTimeMilliseconds() }
                    : new JsonObject { ["mid"] = newest?.Id };
                return (data, Answer(conversation, null, time),
                    Event(page, platform, conversation.Customer, Owner(page, platform), time, "read", seen));
            default:
                throw new LiveInputException(400, "by is \"person\" (the person reads the Page's messages) or \"page\".");
        }
    }

    private (InboxData, LiveAnswer, WebhookEvent?) ReactOne(InboxData data, ReactionInput input)
    {
        var page = PageOf(data, input.PageId);
        var (conversation, message) = MessageOf(data, page, input.MessageId);
        var action = input.Action ?? "react";
        if (action is not ("react" or "unreact"))
        {
            throw new LiveInputException(400, "action is \"react\" or \"unreact\".");
        }
        var reaction = input.Reaction ?? "love";
        var emoji = input.Emoji ?? Emojis.GetValueOrDefault(reaction)
            ?? throw new LiveInputException(400, $"Send an emoji with the reaction \"{reaction}\" (known: {string.Join(", ", Emojis.Keys)}).");
        var time = NextTime();
        var reactionJson = new JsonObject { ["mid"] = message.Id, ["action"] = action };
        if (action == "react")
        {
            reactionJson["reaction"] = reaction;
            reactionJson["emoji"] = emoji;
        }
        // Graph names a reaction as the webhook does, and shows the emoji where Meta has no name for it ("other").
        var reacted = message with
        {
            Reactions = Reacted(message.Reactions, conversation.Customer, action == "react" ? (reaction == "other" ? emoji : reaction) : null),
        };
        var updated = WithMessages(conversation, [.. conversation.Messages.Select(m => m.Id == message.Id ? reacted : m)]);
        return (data.With(updated), Answer(conversation, message, time),
            Event(page, conversation.Platform, conversation.Customer, Owner(page, conversation.Platform), time, "reaction", reactionJson));
    }

    /// <summary>The reactions after <paramref name="person"/> reacts with <paramref name="reaction"/> (or, with null, takes theirs
    /// back): a person has one reaction to a message, so a new one replaces theirs, and a reaction nobody has left goes.</summary>
    private static IReadOnlyList<ReactionData> Reacted(IReadOnlyList<ReactionData> reactions, ParticipantData person, string? reaction)
    {
        var others = reactions
            .Select(r => r with { Users = [.. r.Users.Where(u => u.Id != person.Id)] })
            .Where(r => r.Users.Count > 0)
            .ToList();
        if (reaction is null)
        {
            return others;
        }
        var same = others.FindIndex(r => r.Reaction == reaction);
        if (same < 0)
        {
            others.Add(new ReactionData(reaction, [person]));
        }
        else
        {
            others[same] = others[same] with { Users = [.. others[same].Users, person] };
        }
        return others;
    }

    private (InboxData, LiveAnswer, WebhookEvent?) UnsendOne(InboxData data, UnsendInput input)
    {
        var page = PageOf(data, input.PageId);
        var (conversation, message) = MessageOf(data, page, input.MessageId);
        if (conversation.Platform != InboxPlatform.Instagram || message.From.Id != conversation.Customer.Id)
        {
            throw new LiveInputException(400, "Only an Instagram person's own message can be unsent.");
        }
        var time = NextTime();
        var remaining = WithMessages(conversation, [.. conversation.Messages.Where(m => m.Id != message.Id)]);
        remaining = remaining with { UnreadCount = Math.Min(remaining.UnreadCount, remaining.MessageCount) };
        return (data.With(remaining), Answer(remaining, message, time), Event(page, InboxPlatform.Instagram, conversation.Customer,
            Owner(page, InboxPlatform.Instagram), time, "message", new JsonObject { ["mid"] = message.Id, ["is_deleted"] = true }));
    }

    /// <summary>The conversation with these messages, newest first: positions, and so the 20-message rule, follow.</summary>
    private static ConversationData WithMessages(ConversationData conversation, IReadOnlyList<MessageData> newestFirst)
    {
        var messages = newestFirst.Select((m, i) => m.Position == i ? m : m with { Position = i }).ToList();
        return conversation with { Messages = messages, Snippet = messages.Count > 0 ? InboxGenerator.Snippet(messages[0]) : "" };
    }

    private static ConversationData ReadByPage(ConversationData conversation)
        => WithMessages(conversation, conversation.Messages.Select(m => m.Tags is ["inbox"] ? m with { Tags = ["inbox", "read"] } : m).ToList())
            with { UnreadCount = 0 };

    private static WebhookEvent Event(PageData page, InboxPlatform platform, ParticipantData sender, ParticipantData recipient,
        DateTimeOffset time, string kind, JsonObject body)
    {
        var milliseconds = time.ToUnixTimeMilliseconds();
        var messaging = new JsonObject
        {
            ["sender"] = new JsonObject { ["id"] = sender.Id },
            ["recipient"] = new JsonObject { ["id"] = recipient.Id },
            ["timestamp"] = milliseconds,
            [kind] = body,
        };
        return platform == InboxPlatform.Messenger
            ? new WebhookEvent("page", page.PageId, milliseconds, messaging)
            : new WebhookEvent("instagram", page.InstagramAccountId, milliseconds, messaging);
    }

    private static LiveAnswer Answer(ConversationData conversation, MessageData? message, DateTimeOffset time)
        => new(conversation.Id, conversation.Customer.Id, message?.Id,
            message?.CreatedTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture), time.ToUnixTimeMilliseconds());

    /// <summary>Now, to the millisecond, and always after every earlier message, so the newest change lists first.</summary>
    private DateTimeOffset NextTime()
    {
        var now = _clock.Now;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        _latest = now > _latest ? now : _latest.AddMilliseconds(1);
        return _latest;
    }

    private static PageData PageOf(InboxData data, string? pageId)
        => (pageId is null ? null : data.FindPage(pageId))
            ?? throw new LiveInputException(pageId is null ? 400 : 404, pageId is null
                ? "pageId is required (GET /_emulator/seed lists the Pages)."
                : $"This emulator has no Page {pageId} (GET /_emulator/seed lists the Pages).");

    private static InboxPlatform PlatformOf(string? platform) => platform?.ToLowerInvariant() switch
    {
        "messenger" => InboxPlatform.Messenger,
        "instagram" => InboxPlatform.Instagram,
        _ => throw new LiveInputException(400, "platform is \"messenger\" or \"instagram\"."),
    };

    private static string Name(InboxPlatform platform) => platform.ToString().ToLowerInvariant();

    private static ConversationData? ConversationOf(InboxData data, PageData page, InboxPlatform platform, string? conversationId, string? userId)
    {
        if (conversationId is null)
        {
            if (userId is not null && !PersonIdPattern().IsMatch(userId))
            {
                throw new LiveInputException(400, "userId is a PSID or an IGSID: digits only.");
            }
            return userId is not null && page.ConversationWith(userId) is { } talk && talk.Platform == platform ? talk : null;
        }
        var conversation = data.FindConversation(conversationId);
        if (conversation is null || conversation.PageId != page.PageId || conversation.Platform != platform)
        {
            throw new LiveInputException(404, $"Page {page.PageId} has no {Name(platform)} conversation {conversationId}.");
        }
        if (userId is not null && userId != conversation.Customer.Id)
        {
            throw new LiveInputException(400, $"Conversation {conversationId} is not with person {userId}.");
        }
        return conversation;
    }

    private static (ConversationData, MessageData) MessageOf(InboxData data, PageData page, string? messageId)
    {
        var message = messageId is null ? null : data.FindMessage(messageId);
        var conversation = message is null ? null : data.FindConversation(message.ConversationId);
        return conversation is not null && conversation.PageId == page.PageId
            ? (conversation, message!)
            : throw new LiveInputException(messageId is null ? 400 : 404, messageId is null
                ? "messageId is required."
                : $"Page {page.PageId} has no message {messageId}.");
    }

    private static ReplyData? ReplyOf(InboxData data, string conversationId, string? replyTo, ParticipantData from)
    {
        if (replyTo is null)
        {
            return null;
        }
        var original = data.FindMessage(replyTo);
        return original is not null && original.ConversationId == conversationId
            ? new ReplyData(original.Id, original.From.Id == from.Id)
            : throw new LiveInputException(404, $"replyTo {replyTo} is not a message of this conversation.");
    }

    /// <summary>The Page, or its Instagram account, as the generator shapes them in conversations.</summary>
    private static ParticipantData Owner(PageData page, InboxPlatform platform) => platform == InboxPlatform.Messenger
        ? new ParticipantData(page.PageId, page.Name, $"{page.PageId}@facebook.com", null)
        : new ParticipantData(page.InstagramAccountId, null, null, page.InstagramUsername);

    private ParticipantData NewPerson(InboxData data, InboxPlatform platform, string? userId, string? name)
    {
        bool Free(string id) => data.Pages.All(p => p.ConversationWith(id) is null);
        var id = userId ?? Unique(() => InboxGenerator.PersonId(_ids, platform), Free);
        var number = ++_people;
        return platform == InboxPlatform.Messenger
            ? new ParticipantData(id, name ?? $"Emulator Person {number}", $"{id}@facebook.com", null)
            : new ParticipantData(id, null, null, name ?? $"emulator.person{number}");
    }

    /// <summary>An attachment as the generator shapes them; a given URL is the file's (and an image's preview).</summary>
    private AttachmentData Attachment(AttachmentInput input)
    {
        var file = InboxGenerator.RandomDigits(_ids, 15);
        var name = file[..6];
        return input.Type?.ToLowerInvariant() switch
        {
            "image" => new AttachmentData(file, AttachmentKind.Image, "image/jpeg", $"image-{name}.jpg", 120_000,
                input.Url ?? $"https://scontent.emulator.invalid/v/t1.15752-9/{file}_n.jpg",
                input.Url ?? $"https://scontent.emulator.invalid/v/t1.15752-9/p100x100/{file}_n.jpg", 1080, 1080, null),
            "video" => new AttachmentData(file, AttachmentKind.Video, "video/mp4", $"video-{name}.mp4", 2_400_000,
                input.Url ?? $"https://video.emulator.invalid/v/t42.3356-2/{file}_n.mp4",
                $"https://scontent.emulator.invalid/v/t15.3394-10/{file}_n.jpg", 720, 1280, 12) { VideoType = VideoTypeOf(input.VideoType) },
            "audio" => new AttachmentData(file, AttachmentKind.Audio, "audio/mpeg", $"audioclip-{name}.mp4", 160_000,
                input.Url ?? $"https://cdn.emulator.invalid/v/t59.3654-21/{file}_n.mp4/audioclip-{name}.mp4", null, 0, 0, null),
            "file" => new AttachmentData(file, AttachmentKind.File, "application/pdf", $"file-{name}.pdf", 80_000,
                input.Url ?? $"https://cdn.emulator.invalid/v/t59.2708-21/{file}_n.pdf/file-{name}.pdf", null, 0, 0, null),
            _ => throw new LiveInputException(400, "An attachment's type is \"image\", \"video\", \"audio\", \"file\" or \"sticker\"."),
        };
    }

    private static VideoType VideoTypeOf(string? videoType)
        => videoType is null ? VideoType.FileAttachment
            : Enum.TryParse<VideoType>(videoType.Replace("_", ""), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
            : throw new LiveInputException(400,
                "videoType is \"file_attachment\", \"recorded_video\", \"speaking_sticker\", \"recorded_sticker\" or \"video_mail\".");

    /// <summary>Meta's Like sticker, the example id of Meta's webhook reference, unless another is named.</summary>
    private static StickerInput StickerOf(AttachmentInput input)
    {
        var id = input.StickerId ?? 369239263222822;
        return new StickerInput(id, input.Url ?? $"https://scontent.emulator.invalid/v/t39.1997-6/{id}_n.png");
    }

    private StoryData Story(StoryKind kind)
        => new(kind, InboxGenerator.RandomDigits(_ids, 17),
            $"https://lookaside.emulator.invalid/ig_messaging_cdn/?asset_id={InboxGenerator.RandomDigits(_ids, 17)}&signature=emulator");

    private static string Unique(Func<string> next, Func<string, bool> free)
    {
        string id;
        do
        {
            id = next();
        }
        while (!free(id));
        return id;
    }

    /// <summary>A message's content once checked: its text and attachments, or a sticker, or a story it mentions or replies to.</summary>
    private sealed record MessageContent(string Text, IReadOnlyList<AttachmentInput> Attachments, StickerInput? Sticker, StoryKind? Story);

    [GeneratedRegex(@"^[0-9]{1,20}$")]
    private static partial Regex PersonIdPattern();
}
