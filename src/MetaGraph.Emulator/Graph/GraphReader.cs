using System.Text.Json;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Errors;
using MetaGraph.Emulator.FieldExpansion;

namespace MetaGraph.Emulator.Graph;

/// <summary>Routes an authenticated read to its node, edge or multi-id answer and writes it as JSON.</summary>
internal sealed class GraphReader(InboxData data)
{
    public const int MaxIds = 50;

    private static readonly IReadOnlyList<FieldSelection> DefaultConversationFields = FieldSelection.Of("id");
    private static readonly IReadOnlyList<FieldSelection> DefaultPageFields = FieldSelection.Of("name", "id");
    private static readonly IReadOnlyList<FieldSelection> DefaultInstagramFields = FieldSelection.Of("username", "id");
    private static readonly IReadOnlyList<FieldSelection> DefaultProfileFields = FieldSelection.Of("name", "username", "id");

    /// <summary>The token's own Page or Instagram account, as <c>/me</c>.</summary>
    public const string Me = "me";

    /// <summary>What a read costs, one call per id of a multi-id read: a person's profile is the rest of the Messenger API;
    /// a Page's or Instagram account's own node (and <c>/me</c>) no Messenger allowance (our choice: Meta prices it under
    /// Pages); listings, threads, messages, and ids that resolve to nothing, the Conversations API.</summary>
    public ReadCost CostOf(PageData reader, string path, string? ids)
    {
        if (path.Length == 0)
        {
            return ids is not null && Ids(ids) is { Count: > 0 } each
                ? each.Aggregate(ReadCost.None, (cost, id) => cost + CostOfNode(reader, id))
                : ReadCost.Conversation;
        }
        var slash = path.IndexOf('/');
        return slash < 0 ? CostOfNode(reader, path) : ReadCost.Conversation;
    }

    private ReadCost CostOfNode(PageData reader, string id) => id == Me || data.FindPage(id) is not null ? ReadCost.None
        : reader.ConversationWith(id) is not null ? ReadCost.Profile
        : ReadCost.Conversation;

    public void Read(Utf8JsonWriter writer, GraphRequest request)
    {
        var path = request.Path;
        if (path.Length == 0)
        {
            ReadIds(writer, request);
            return;
        }
        var slash = path.IndexOf('/');
        var id = slash < 0 ? path : path[..slash];
        var node = Find(id, request.Page) ?? throw GraphErrors.NoSuchObject(id);
        if (slash < 0)
        {
            WriteNode(writer, node, FieldSelection.Parse(request["fields"]), request);
            return;
        }
        var edge = path[(slash + 1)..];
        switch (node)
        {
            case { Page: { } page } when edge == "conversations":
                ConversationsEdge.Read(writer, page, id, request);
                break;
            case { Conversation: { } conversation } when edge == "messages":
                MessagesEdge.Read(writer, conversation, request);
                break;
            case { Message: { } message } when edge == "attachments":
                AttachmentJson.Read(writer, message.HasDetails ? message : throw GraphErrors.DeletedMessage(), request);
                break;
            case var _ when edge.Contains('/'):
                throw GraphErrors.UnknownPath(path[slash..]);
            default:
                throw GraphErrors.UnknownField(edge, TypeOf(node).Name);
        }
    }

    private void ReadIds(Utf8JsonWriter writer, GraphRequest request)
    {
        var ids = Ids(request["ids"] ?? throw GraphErrors.InvalidParameter("(#100) Missing ids: a read of the root needs ?ids="));
        if (ids.Count == 0)
        {
            throw GraphErrors.InvalidParameter("(#100) The parameter ids is empty");
        }
        if (ids.Count > MaxIds)
        {
            throw GraphErrors.TooManyIds(ids.Count);
        }
        var nodes = ids.Select(id => Find(id, request.Page)).ToList();
        if (nodes.Contains(null))
        {
            throw GraphErrors.UnknownAliases(ids.Where((_, i) => nodes[i] is null));
        }
        // Any failing id fails the whole read (our choice; reports of Meta's behaviour differ).
        var fields = FieldSelection.Parse(request["fields"]);
        writer.WriteStartObject();
        for (var i = 0; i < ids.Count; i++)
        {
            writer.WritePropertyName(ids[i]);
            WriteNode(writer, nodes[i]!.Value, fields, request);
        }
        writer.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter writer, Node node, IReadOnlyList<FieldSelection>? fields, GraphRequest request)
    {
        if (fields is not null)
        {
            TypeOf(node).Validate(fields);
        }
        switch (node)
        {
            case { Conversation: { } conversation }:
                ConversationJson.Write(writer, conversation, fields ?? DefaultConversationFields, request);
                break;
            case { Message: { } message }:
                if (!message.HasDetails)
                {
                    throw GraphErrors.DeletedMessage();
                }
                MessageJson.Write(writer, message, fields ?? MessageJson.DefaultFields, request);
                break;
            case { Person: { } person }:
                WriteProfile(writer, person, fields);
                break;
            case { Page: { } page }:
                WritePage(writer, page, node.Id, fields);
                break;
        }
    }

    private static void WritePage(Utf8JsonWriter writer, PageData page, string id, IReadOnlyList<FieldSelection>? fields)
    {
        var instagram = id == page.InstagramAccountId;
        writer.WriteStartObject();
        foreach (var field in fields ?? (instagram ? DefaultInstagramFields : DefaultPageFields))
        {
            switch (field.Name)
            {
                case "name": writer.WriteString("name", page.Name); break;
                case "username": writer.WriteString("username", page.InstagramUsername); break;
            }
        }
        writer.WriteString("id", id);
        writer.WriteEndObject();
    }

    /// <summary>Messenger's <c>name,first_name,last_name,profile_pic</c> or Instagram's <c>name,username,profile_pic</c>; what a
    /// person does not have is omitted, so one <c>ids=</c> read can mix both (our choice: Meta documents each read alone).</summary>
    private static void WriteProfile(Utf8JsonWriter writer, ParticipantData person, IReadOnlyList<FieldSelection>? fields)
    {
        var space = person.Name?.IndexOf(' ') ?? -1;
        writer.WriteStartObject();
        foreach (var field in fields ?? DefaultProfileFields)
        {
            switch (field.Name)
            {
                case "name": writer.WriteStringUnlessNull("name", person.Name); break;
                case "first_name": writer.WriteStringUnlessNull("first_name", space < 0 ? person.Name : person.Name![..space]); break;
                case "last_name" when space > 0: writer.WriteString("last_name", person.Name![(space + 1)..]); break;
                case "username": writer.WriteStringUnlessNull("username", person.Username); break;
                case "profile_pic": writer.WriteString("profile_pic", person.ProfilePic); break;
            }
        }
        writer.WriteString("id", person.Id);
        writer.WriteEndObject();
    }

    /// <summary>The node with this id that the Page may read: its own conversations and messages, the people it talks
    /// with (their ids are scoped to the Page), and any Page's public face.</summary>
    private Node? Find(string id, PageData reader)
    {
        if (id == Me)
        {
            return new Node(reader.PageId, Page: reader);
        }
        if (data.FindConversation(id) is { } conversation)
        {
            return conversation.PageId == reader.PageId ? new Node(id, Conversation: conversation) : throw GraphErrors.NoSuchObject(id);
        }
        if (data.FindMessage(id) is { } message)
        {
            return data.FindConversation(message.ConversationId)!.PageId == reader.PageId
                ? new Node(id, Message: message)
                : throw GraphErrors.NoSuchObject(id);
        }
        if (data.FindUnsentMessage(id) is { } unsent)
        {
            throw data.FindConversation(unsent.ConversationId)!.PageId == reader.PageId ? GraphErrors.DeletedMessage() : GraphErrors.NoSuchObject(id);
        }
        if (reader.ConversationWith(id) is { } talk)
        {
            return new Node(id, Person: talk.Customer);
        }
        return data.FindPage(id) is { } page ? new Node(id, Page: page) : null;
    }

    private static NodeType TypeOf(Node node) => node switch
    {
        { Conversation: not null } => NodeType.Conversation,
        { Message: not null } => NodeType.Message,
        { Person: not null } => NodeType.UserProfile,
        { Page: { } page } when node.Id == page.InstagramAccountId => NodeType.InstagramAccount,
        _ => NodeType.Page,
    };

    /// <summary>The distinct ids of <c>ids=a,b,c</c>, in order.</summary>
    private static List<string> Ids(string text)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(seen.Add).ToList();
    }

    private readonly record struct Node(string Id, PageData? Page = null, ConversationData? Conversation = null, MessageData? Message = null,
        ParticipantData? Person = null);
}
