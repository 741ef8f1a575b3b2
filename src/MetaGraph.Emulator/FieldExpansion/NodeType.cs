using MetaGraph.Emulator.Errors;

namespace MetaGraph.Emulator.FieldExpansion;

/// <summary>The fields a Graph node type has, and for each the type of its subfields (null for a scalar).
/// Selections are checked against it before anything is written, so an unknown field fails even on an empty list.</summary>
internal sealed class NodeType
{
    private readonly Dictionary<string, NodeType?> _fields;

    private NodeType(string name, params (string Field, NodeType? Type)[] fields)
    {
        Name = name;
        _fields = fields.ToDictionary(f => f.Field, f => f.Type, StringComparer.Ordinal);
    }

    public string Name { get; }

    public void Validate(IReadOnlyList<FieldSelection> selection)
    {
        foreach (var field in selection)
        {
            if (!_fields.TryGetValue(field.Name, out var type))
            {
                throw GraphErrors.UnknownField(field.Name, Name);
            }
            if (field.Children is { } children)
            {
                if (type is null)
                {
                    throw GraphErrors.InvalidParameter($"(#100) Field {field.Name} on node type ({Name}) has no subfields");
                }
                type.Validate(children);
            }
        }
    }

    private static readonly NodeType ImageData = new("ImageData",
        ("url", null), ("preview_url", null), ("width", null), ("height", null), ("max_width", null), ("max_height", null),
        ("image_type", null), ("render_as_sticker", null), ("animated_gif_url", null), ("animated_gif_preview_url", null),
        ("animated_webp_url", null), ("animated_webp_preview_url", null), ("raw_gif_image", null), ("raw_webp_image", null));

    private static readonly NodeType VideoData = new("VideoData",
        ("url", null), ("preview_url", null), ("width", null), ("height", null), ("length", null), ("video_type", null), ("rotation", null));

    public static readonly NodeType Participant = new("User", ("id", null), ("name", null), ("email", null), ("username", null), ("user_id", null));

    /// <summary>A person read by id (PSID or IGSID): Messenger's and Instagram's user profile fields.</summary>
    public static readonly NodeType UserProfile = new("User", ("id", null), ("name", null), ("first_name", null), ("last_name", null),
        ("profile_pic", null), ("username", null), ("locale", null), ("timezone", null), ("gender", null));

    private static readonly NodeType StoryReference = new("StoryReference", ("link", null), ("id", null));

    public static readonly NodeType Attachment = new("MessageAttachment",
        ("id", null), ("mime_type", null), ("name", null), ("size", null), ("file_url", null),
        ("image_data", ImageData), ("video_data", VideoData), ("generic_template", null));

    public static readonly NodeType Message = new("Message",
        ("id", null), ("created_time", null), ("from", Participant), ("to", Participant), ("message", null), ("sticker", null),
        ("attachments", Attachment),
        ("shares", new NodeType("Share", ("id", null), ("link", null), ("name", null), ("description", null), ("picture", null))),
        ("tags", new NodeType("MessageTag", ("name", null))),
        ("reactions", new NodeType("MessageReaction", ("reaction", null), ("users", Participant))),
        ("reply_to", new NodeType("MessageReplyTo", ("mid", null), ("is_self_reply", null))),
        ("story", new NodeType("MessageStory", ("mention", StoryReference), ("reply_to", StoryReference))),
        ("is_unsupported", null));

    public static readonly NodeType Conversation = new("Conversation",
        ("id", null), ("updated_time", null), ("message_count", null), ("unread_count", null), ("snippet", null),
        ("can_reply", null), ("is_subscribed", null), ("link", null), ("name", null), ("folder", null),
        ("participants", Participant), ("senders", Participant), ("former_participants", Participant),
        ("scoped_thread_key", null), ("messages", Message));

    public static readonly NodeType Page = new("Page", ("id", null), ("name", null));

    public static readonly NodeType InstagramAccount = new("IGUser", ("id", null), ("username", null));
}
