using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Data;

namespace MetaGraph.Emulator.Graph;

/// <summary>One Graph API read, already taken apart: the path after the version, the query, the caller's token.</summary>
public sealed record GraphRequest(string Version, string Path, IReadOnlyDictionary<string, string> Query, string? Token, string BaseUrl);

/// <summary>
/// The conversations surface of the Graph API over <see cref="InboxData"/>: Page conversations, conversation and
/// message nodes, the messages edge, multi-id reads, field expansion and cursors, with Meta's errors.
/// </summary>
public sealed class GraphApi
{
    /// <summary>Only the 20 most recent messages of a conversation have details.</summary>
    public const int DetailsWindow = 20;
    private const int MaxIds = 50;
    private const int DefaultLimit = 25;

    private readonly EmulatorOptions _options;
    private readonly Dictionary<string, PageData> _pagesByToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PageData> _pagesById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (PageData Page, ConversationData Conversation)> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (PageData Page, ConversationData Conversation, int Index)> _messages = new(StringComparer.Ordinal);

    public GraphApi(InboxData data, EmulatorOptions options)
    {
        _options = options;
        foreach (var page in data.Pages)
        {
            _pagesByToken[page.AccessToken] = page;
            _pagesById[page.PageId] = page;
            _pagesById[page.InstagramAccountId] = page;
            foreach (var conversation in page.Conversations)
            {
                _conversations[conversation.Id] = (page, conversation);
                for (var i = 0; i < conversation.Messages.Count; i++)
                {
                    _messages[conversation.Messages[i].Id] = (page, conversation, i);
                }
            }
        }
    }

    public PageData? PageOf(string? token) => token is not null && _pagesByToken.TryGetValue(token, out var page) ? page : null;

    /// <summary>How many calls Meta would count for this request: one per id of a multi-id read.</summary>
    public static int CallsOf(GraphRequest request)
        => request.Path.Length == 0 && request.Query.TryGetValue("ids", out var ids) ? Math.Max(1, ids.Split(',').Length) : 1;

    public JsonNode Get(GraphRequest request)
    {
        var page = PageOf(request.Token) ?? throw GraphError.InvalidToken();
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            [] => MultiId(page, request),
            [var id] => Node(page, id, request),
            [var id, "conversations"] => Conversations(page, id, request),
            [var id, "messages"] => MessagesOf(page, id, request),
            _ => throw GraphError.InvalidParameter($"(#100) Unknown path components: /{string.Join('/', segments.Skip(1))}"),
        };
    }

    private JsonObject MultiId(PageData page, GraphRequest request)
    {
        if (!request.Query.TryGetValue("ids", out var text) || string.IsNullOrWhiteSpace(text))
        {
            throw GraphError.InvalidParameter("(#100) Missing parameter: ids or an object id in the path");
        }
        var ids = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        if (ids.Count > MaxIds)
        {
            throw GraphError.InvalidParameter($"(#100) Too many IDs. Maximum: {MaxIds}. Provided: {ids.Count}.");
        }
        var result = new JsonObject();
        foreach (var id in ids)
        {
            // One failing id fails the whole read (our choice; reports of Meta's behaviour differ).
            result[id] = Node(page, id, request);
        }
        return result;
    }

    private JsonObject Node(PageData page, string id, GraphRequest request)
    {
        if (_conversations.TryGetValue(id, out var conversation) && conversation.Page == page)
        {
            return Conversation(conversation.Page, conversation.Conversation, FieldSpec.Parse(Value(request, "fields"), "id"), request);
        }
        if (_messages.TryGetValue(id, out var message) && message.Page == page)
        {
            if (message.Index >= DetailsWindow)
            {
                throw GraphError.DeletedMessage();
            }
            return Message(message.Conversation, message.Conversation.Messages[message.Index], message.Index,
                FieldSpec.Parse(Value(request, "fields"), "id", "created_time"));
        }
        if (_pagesById.TryGetValue(id, out var other) && other == page)
        {
            return new JsonObject { ["name"] = page.Name, ["id"] = id };
        }
        throw GraphError.NoSuchObject(id);
    }

    private JsonObject Conversations(PageData page, string nodeId, GraphRequest request)
    {
        if (!_pagesById.TryGetValue(nodeId, out var owner))
        {
            throw GraphError.NoSuchObject(nodeId);
        }
        if (owner != page)
        {
            throw new GraphError(400, 200, "(#200) The Page access token does not belong to this Page or lacks the pages_messaging permission.");
        }
        var platform = Value(request, "platform") switch
        {
            null or "messenger" => InboxPlatform.Messenger,
            "instagram" => InboxPlatform.Instagram,
            var other => throw GraphError.InvalidParameter($"(#100) param platform must be one of {{MESSENGER, INSTAGRAM}} - got \"{other}\""),
        };
        var userId = Value(request, "user_id");
        var folder = Value(request, "folder");
        var conversations = page.On(platform)
            .Where(c => userId is not null ? c.Participants.Any(p => p.Id == userId) : c.Folder == (folder ?? "inbox"))
            .ToList();
        var fields = FieldSpec.Parse(Value(request, "fields"), "id", "updated_time");
        var listKey = $"{page.PageId}|{platform}|{folder}|{userId}";
        var (slice, paging) = Slice(conversations, c => c.Id, listKey, Limit(request, _options.MaxConversationsLimit), Value(request, "after"),
            Value(request, "before"), request, $"{nodeId}/conversations");
        var data = new JsonArray(slice.Select(c => (JsonNode)Conversation(page, c, fields, request)).ToArray());
        return Page(data, paging);
    }

    private JsonObject MessagesOf(PageData page, string conversationId, GraphRequest request)
    {
        if (!_conversations.TryGetValue(conversationId, out var found) || found.Page != page)
        {
            throw GraphError.NoSuchObject(conversationId);
        }
        return MessagesEdge(found.Conversation, FieldSpec.Parse(Value(request, "fields"), "id", "created_time"),
            Limit(request, _options.MaxMessagesLimit), Value(request, "after"), Value(request, "before"), request);
    }

    private JsonObject MessagesEdge(ConversationData conversation, IReadOnlyList<FieldSpec> fields, int limit, string? after, string? before, GraphRequest request)
    {
        var (slice, paging) = Slice(conversation.Messages, m => m.Id, conversation.Id, limit, after, before, request, $"{conversation.Id}/messages");
        var data = new JsonArray();
        foreach (var message in slice)
        {
            var index = IndexOf(conversation, message);
            // Past the 20 newest, an expansion gets only what every listing has (our choice).
            var visible = index < DetailsWindow ? fields : fields.Where(f => f.Name is "id" or "created_time").ToList();
            data.Add(Message(conversation, message, index, visible));
        }
        return Page(data, paging);
    }

    private JsonObject Conversation(PageData page, ConversationData conversation, IReadOnlyList<FieldSpec> fields, GraphRequest request)
    {
        var json = new JsonObject();
        foreach (var field in fields)
        {
            switch (field.Name)
            {
                case "id": json["id"] = conversation.Id; break;
                case "updated_time": json["updated_time"] = Timestamp(conversation.UpdatedTime); break;
                case "message_count": json["message_count"] = conversation.Messages.Count; break;
                case "unread_count": json["unread_count"] = conversation.UnreadCount; break;
                case "snippet": json["snippet"] = conversation.Snippet; break;
                case "can_reply": json["can_reply"] = true; break;
                case "is_subscribed": json["is_subscribed"] = true; break;
                case "link": json["link"] = $"/{page.PageId}/inbox/{conversation.Id}/"; break;
                case "folder": json["folder"] = conversation.Folder; break;
                case "scoped_thread_key": json["scoped_thread_key"] = conversation.Id; break;
                case "participants" or "senders":
                    json[field.Name] = new JsonObject { ["data"] = new JsonArray(conversation.Participants.Select(p => (JsonNode)Participant(p, field.Children)).ToArray()) };
                    break;
                case "name" or "former_participants":
                    break; // Meta omits fields without data.
                case "messages":
                    json["messages"] = MessagesEdge(conversation, field.Children ?? FieldSpec.Parse(null, "id", "created_time"),
                        Math.Min(field.Limit ?? DefaultLimit, _options.MaxMessagesLimit), field.After, field.Before, request);
                    break;
                default: throw GraphError.UnknownField(field.Name, "Conversation");
            }
        }
        return json;
    }

    private static JsonObject Message(ConversationData conversation, MessageData message, int index, IReadOnlyList<FieldSpec> fields)
    {
        var json = new JsonObject();
        foreach (var field in fields)
        {
            switch (field.Name)
            {
                case "id": json["id"] = message.Id; break;
                case "created_time": json["created_time"] = Timestamp(message.CreatedTime); break;
                case "from": json["from"] = Participant(message.From, field.Children); break;
                case "to": json["to"] = new JsonObject { ["data"] = new JsonArray(Participant(message.To, field.Children)) }; break;
                case "message": json["message"] = message.Text; break;
                case "sticker" when message.Sticker is not null: json["sticker"] = message.Sticker; break;
                case "attachments" when message.Attachments.Count > 0:
                    json["attachments"] = new JsonObject { ["data"] = new JsonArray(message.Attachments.Select(a => (JsonNode)Attachment(a, field.Children)).ToArray()) };
                    break;
                case "tags":
                    json["tags"] = new JsonObject { ["data"] = new JsonArray(message.Tags.Select(t => (JsonNode)new JsonObject { ["name"] = t }).ToArray()) };
                    break;
                case "reply_to" when message.ReplyToId is not null:
                    json["reply_to"] = new JsonObject { ["mid"] = message.ReplyToId, ["is_self_reply"] = IsSelfReply(conversation, message) };
                    break;
                case "sticker" or "attachments" or "reply_to" or "shares" or "reactions" or "story" or "is_unsupported":
                    break; // Meta omits fields without data.
                default: throw GraphError.UnknownField(field.Name, "Message");
            }
        }
        return json;
    }

    private static bool IsSelfReply(ConversationData conversation, MessageData message)
        => conversation.Messages.FirstOrDefault(m => m.Id == message.ReplyToId)?.From.Id == message.From.Id;

    private static JsonObject Participant(ParticipantData participant, IReadOnlyList<FieldSpec>? children)
    {
        var all = new Dictionary<string, string?> { ["id"] = participant.Id, ["name"] = participant.Name, ["email"] = participant.Email, ["username"] = participant.Username };
        var json = new JsonObject();
        foreach (var name in children?.Select(c => c.Name) ?? all.Keys)
        {
            if (!all.TryGetValue(name, out var value))
            {
                throw GraphError.UnknownField(name, "User");
            }
            if (value is not null)
            {
                json[name] = value;
            }
        }
        return json;
    }

    private static JsonObject Attachment(AttachmentData attachment, IReadOnlyList<FieldSpec>? children)
    {
        var all = new Dictionary<string, Func<JsonNode?>>
        {
            ["id"] = () => attachment.Id,
            ["mime_type"] = () => attachment.MimeType,
            ["name"] = () => attachment.Name,
            ["size"] = () => attachment.Size,
            ["file_url"] = () => attachment.Kind == "file" ? attachment.Url : null,
            ["image_data"] = () => attachment.Kind == "image"
                ? new JsonObject { ["width"] = attachment.Width, ["height"] = attachment.Height, ["max_width"] = attachment.Width, ["max_height"] = attachment.Height,
                    ["url"] = attachment.Url, ["preview_url"] = attachment.Url.Replace("_n.", "_s."), ["image_type"] = 1, ["render_as_sticker"] = false }
                : null,
            ["video_data"] = () => attachment.Kind == "video"
                ? new JsonObject { ["width"] = attachment.Width, ["height"] = attachment.Height, ["length"] = attachment.Length,
                    ["url"] = attachment.Url, ["preview_url"] = attachment.Url.Replace(".mp4", ".jpg") }
                : null,
        };
        var json = new JsonObject();
        foreach (var name in children?.Select(c => c.Name) ?? all.Keys)
        {
            if (!all.TryGetValue(name, out var value))
            {
                throw GraphError.UnknownField(name, "MessageAttachment");
            }
            if (value() is { } node)
            {
                json[name] = node;
            }
        }
        return json;
    }

    private static int IndexOf(ConversationData conversation, MessageData message)
    {
        for (var i = 0; i < conversation.Messages.Count; i++)
        {
            if (ReferenceEquals(conversation.Messages[i], message))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Cursor paging over one list. Cursors are item cursors: <c>after=c</c> starts past the item,
    /// <c>before=c</c> ends before it.</summary>
    private static (List<T> Slice, JsonObject? Paging) Slice<T>(IReadOnlyList<T> items, Func<T, string> idOf, string listKey, int limit,
        string? after, string? before, GraphRequest request, string edgePath)
    {
        int start, end;
        if (after is not null)
        {
            start = Cursor.IndexIn(items, idOf, listKey, after) + 1;
            end = Math.Min(items.Count, start + limit);
        }
        else if (before is not null)
        {
            end = Cursor.IndexIn(items, idOf, listKey, before);
            start = Math.Max(0, end - limit);
        }
        else
        {
            start = 0;
            end = Math.Min(items.Count, limit);
        }
        var slice = items.Skip(start).Take(end - start).ToList();
        if (slice.Count == 0)
        {
            return (slice, null);
        }
        var first = Cursor.Encode(listKey, idOf(slice[0]));
        var last = Cursor.Encode(listKey, idOf(slice[^1]));
        var paging = new JsonObject { ["cursors"] = new JsonObject { ["before"] = first, ["after"] = last } };
        if (start > 0)
        {
            paging["previous"] = EdgeUrl(request, edgePath, limit, "before", first);
        }
        if (end < items.Count)
        {
            paging["next"] = EdgeUrl(request, edgePath, limit, "after", last);
        }
        return (slice, paging);
    }

    /// <summary>Like Meta, paging links are absolute and carry the access token.</summary>
    private static string EdgeUrl(GraphRequest request, string edgePath, int limit, string cursorName, string cursor)
    {
        var query = request.Query.Where(p => p.Key is not ("after" or "before" or "limit" or "ids" or "fields"))
            .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")
            .Append($"access_token={Uri.EscapeDataString(request.Token ?? "")}")
            .Append($"limit={limit}")
            .Append($"{cursorName}={Uri.EscapeDataString(cursor)}")
            .Distinct();
        return $"{request.BaseUrl}/{request.Version}/{edgePath}?{string.Join('&', query)}";
    }

    private static JsonObject Page(JsonArray data, JsonObject? paging)
    {
        var page = new JsonObject { ["data"] = data };
        if (paging is not null)
        {
            page["paging"] = paging;
        }
        return page;
    }

    private static int Limit(GraphRequest request, int max)
    {
        var text = Value(request, "limit");
        if (text is null)
        {
            return Math.Min(DefaultLimit, max);
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            ? Math.Min(limit, max)
            : throw GraphError.InvalidParameter("(#100) Param limit must be a non-negative integer");
    }

    private static string? Value(GraphRequest request, string name) => request.Query.TryGetValue(name, out var value) ? value : null;

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);

    private static class Cursor
    {
        public static string Encode(string listKey, string id)
            => Convert.ToBase64String(Encoding.UTF8.GetBytes($"QVFI|{Hash(listKey)}|{id}")).TrimEnd('=');

        public static int IndexIn<T>(IReadOnlyList<T> items, Func<T, string> idOf, string listKey, string cursor)
        {
            string text;
            try
            {
                var padded = cursor.PadRight(cursor.Length + (4 - cursor.Length % 4) % 4, '=');
                text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            }
            catch (FormatException)
            {
                throw Invalid();
            }
            var parts = text.Split('|');
            if (parts is not ["QVFI", var hash, var id] || hash != Hash(listKey))
            {
                throw Invalid();
            }
            for (var i = 0; i < items.Count; i++)
            {
                if (idOf(items[i]) == id)
                {
                    return i;
                }
            }
            throw Invalid();
        }

        private static string Hash(string listKey) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(listKey)).AsSpan(0, 6));

        private static GraphError Invalid() => GraphError.InvalidParameter("(#100) The cursor is invalid or has expired.");
    }
}
