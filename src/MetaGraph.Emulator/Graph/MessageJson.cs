using System.Text.Json;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.FieldExpansion;

namespace MetaGraph.Emulator.Graph;

/// <summary>A Message node. Fields without data are omitted, except <c>message</c>, which is <c>""</c> when there is no text.</summary>
internal static class MessageJson
{
    public static readonly IReadOnlyList<FieldSelection> DefaultFields = FieldSelection.Of("id", "created_time");

    public static void Write(Utf8JsonWriter writer, MessageData message, IReadOnlyList<FieldSelection> fields, GraphRequest request)
    {
        writer.WriteStartObject();
        var wroteId = false;
        foreach (var field in fields)
        {
            // Past the 20 newest, a listing still shows each message, but only what every listing has (our choice).
            if (!message.HasDetails && field.Name is not ("id" or "created_time"))
            {
                continue;
            }
            switch (field.Name)
            {
                case "id": writer.WriteString("id", message.Id); wroteId = true; break;
                case "created_time": writer.WriteTimestamp("created_time", message.CreatedTime); break;
                case "from":
                    writer.WritePropertyName("from");
                    ParticipantJson.Write(writer, message.From, field.Children);
                    break;
                case "to": ParticipantJson.WriteList(writer, "to", message.To, field.Children); break;
                case "message": writer.WriteString("message", message.Text); break;
                case "sticker": writer.WriteStringUnlessNull("sticker", message.Sticker); break;
                case "attachments" when message.Attachments.Count > 0: AttachmentJson.WriteList(writer, message, field, request); break;
                case "tags" when message.Tags.Count > 0: WriteTags(writer, message.Tags); break;
                case "shares" when message.Shares.Count > 0: WriteShares(writer, message.Shares, field.Children); break;
                case "story" when message.Story is { } story: WriteStory(writer, story, field.Children); break;
                case "reactions" when message.Reactions.Count > 0: WriteReactions(writer, message.Reactions, field.Children); break;
                case "reply_to" when message.ReplyTo is { } reply: WriteReplyTo(writer, reply, field.Children); break;
                case "is_unsupported" when message.IsUnsupported: writer.WriteBoolean("is_unsupported", true); break;
            }
        }
        if (!wroteId)
        {
            writer.WriteString("id", message.Id);
        }
        writer.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter writer, IReadOnlyList<string> tags)
    {
        writer.WriteStartObject("tags");
        writer.WriteStartArray("data");
        foreach (var tag in tags)
        {
            writer.WriteStartObject();
            writer.WriteString("name", tag);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static readonly IReadOnlyList<FieldSelection> DefaultShareFields = FieldSelection.Of("link", "name", "description", "picture", "id");
    private static readonly IReadOnlyList<FieldSelection> DefaultStoryFields = FieldSelection.Of("mention", "reply_to");
    private static readonly IReadOnlyList<FieldSelection> DefaultStoryReferenceFields = FieldSelection.Of("link", "id");
    private static readonly IReadOnlyList<FieldSelection> DefaultReactionFields = FieldSelection.Of("reaction", "users");
    private static readonly IReadOnlyList<FieldSelection> DefaultReactionUserFields = FieldSelection.Of("id", "username");

    /// <summary><c>{"data":[{"link","name","description","picture","id"}]}</c>; <c>picture</c> only when the share has one.</summary>
    private static void WriteShares(Utf8JsonWriter writer, IReadOnlyList<ShareData> shares, IReadOnlyList<FieldSelection>? fields)
    {
        writer.WriteStartObject("shares");
        writer.WriteStartArray("data");
        foreach (var share in shares)
        {
            writer.WriteStartObject();
            var wroteId = false;
            foreach (var field in fields ?? DefaultShareFields)
            {
                switch (field.Name)
                {
                    case "link": writer.WriteString("link", share.Link); break;
                    case "name": writer.WriteString("name", share.Name); break;
                    case "description": writer.WriteString("description", share.Description); break;
                    case "picture": writer.WriteStringUnlessNull("picture", share.Picture); break;
                    case "id": writer.WriteString("id", share.Id); wroteId = true; break;
                }
            }
            if (!wroteId)
            {
                writer.WriteString("id", share.Id);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary><c>{"reply_to":{"link","id"}}</c> or <c>{"mention":{"link","id"}}</c>, as Instagram sends them.</summary>
    private static void WriteStory(Utf8JsonWriter writer, StoryData story, IReadOnlyList<FieldSelection>? fields)
    {
        var name = story.Kind == StoryKind.Mention ? "mention" : "reply_to";
        writer.WriteStartObject("story");
        if ((fields ?? DefaultStoryFields).FirstOrDefault(f => f.Name == name) is { } selected)
        {
            writer.WriteStartObject(name);
            foreach (var field in selected.Children ?? DefaultStoryReferenceFields)
            {
                switch (field.Name)
                {
                    case "link": writer.WriteString("link", story.Link); break;
                    case "id": writer.WriteString("id", story.Id); break;
                }
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    /// <summary><c>{"data":[{"reaction","users":[{"id","username"}]}]}</c>.</summary>
    private static void WriteReactions(Utf8JsonWriter writer, IReadOnlyList<ReactionData> reactions, IReadOnlyList<FieldSelection>? fields)
    {
        writer.WriteStartObject("reactions");
        writer.WriteStartArray("data");
        foreach (var reaction in reactions)
        {
            writer.WriteStartObject();
            foreach (var field in fields ?? DefaultReactionFields)
            {
                switch (field.Name)
                {
                    case "reaction": writer.WriteString("reaction", reaction.Reaction); break;
                    case "users":
                        writer.WriteStartArray("users");
                        foreach (var user in reaction.Users)
                        {
                            ParticipantJson.Write(writer, user, field.Children ?? DefaultReactionUserFields);
                        }
                        writer.WriteEndArray();
                        break;
                }
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteReplyTo(Utf8JsonWriter writer, ReplyData reply, IReadOnlyList<FieldSelection>? fields)
    {
        writer.WriteStartObject("reply_to");
        if (fields is null || fields.Any(f => f.Name == "mid"))
        {
            writer.WriteString("mid", reply.MessageId);
        }
        if (fields is null || fields.Any(f => f.Name == "is_self_reply"))
        {
            writer.WriteBoolean("is_self_reply", reply.IsSelfReply);
        }
        writer.WriteEndObject();
    }
}
