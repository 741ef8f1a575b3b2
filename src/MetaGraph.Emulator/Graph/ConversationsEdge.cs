using System.Text.Json;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Errors;
using MetaGraph.Emulator.FieldExpansion;
using MetaGraph.Emulator.Paging;

namespace MetaGraph.Emulator.Graph;

/// <summary><c>/{page-or-instagram-account}/conversations?platform=&amp;user_id=&amp;folder=</c>, most recently updated first.</summary>
internal static class ConversationsEdge
{
    private static readonly IReadOnlyList<FieldSelection> DefaultFields = FieldSelection.Of("id", "updated_time");
    private static readonly IReadOnlyList<FieldSelection> DefaultFieldsForOnePerson = FieldSelection.Of("id");

    public static void Read(Utf8JsonWriter writer, PageData owner, string nodeId, GraphRequest request)
    {
        if (owner != request.Page)
        {
            throw GraphErrors.NotThisPagesInbox();
        }
        var platform = Platform(request["platform"], instagramNode: nodeId == owner.InstagramAccountId);
        var userId = request["user_id"];
        var folder = request["folder"] ?? InboxData.DefaultFolder;
        if (!InboxData.Folders.Contains(folder))
        {
            throw GraphErrors.InvalidParameter("(#100) param folder must be one of {INBOX, OTHER, PENDING, REQUESTS, SPAM}");
        }
        var fields = FieldSelection.Parse(request["fields"]) ?? (userId is null ? DefaultFields : DefaultFieldsForOnePerson);
        NodeType.Conversation.Validate(fields);

        // With user_id Graph finds the one conversation with that person, whatever its folder.
        IReadOnlyList<ConversationData> conversations = userId is null
            ? owner.Folder(platform, folder)
            : owner.ConversationWith(userId) is { } talk && talk.Platform == platform ? [talk] : [];
        var list = Cursor.ListKey(owner.PageId, platform.ToString(), userId is null ? folder : "user:" + userId);
        var window = PageWindow.Select(list, conversations.Count, PageWindow.ParseLimit(request["limit"], request.Options.MaxConversationsLimit),
            request["after"], request["before"]);

        writer.WriteStartObject();
        writer.WriteStartArray("data");
        for (var i = window.Start; i < window.End; i++)
        {
            ConversationJson.Write(writer, conversations[i], fields, request);
        }
        writer.WriteEndArray();
        PagingBlock.Write(writer, window, new EdgeLink(request, nodeId, "conversations", Nested: false));
        writer.WriteEndObject();
    }

    private static InboxPlatform Platform(string? value, bool instagramNode)
    {
        var platform = value?.ToLowerInvariant() switch
        {
            null => instagramNode ? InboxPlatform.Instagram : InboxPlatform.Messenger,
            "messenger" => InboxPlatform.Messenger,
            "instagram" => InboxPlatform.Instagram,
            _ => throw GraphErrors.InvalidParameter($"(#100) param platform must be one of {{MESSENGER, INSTAGRAM}} - got \"{value}\""),
        };
        return instagramNode && platform != InboxPlatform.Instagram
            ? throw GraphErrors.InvalidParameter("(#100) An Instagram account only has platform=instagram conversations")
            : platform;
    }
}
