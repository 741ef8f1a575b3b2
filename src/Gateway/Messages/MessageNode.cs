using System.ComponentModel;
using Gateway.Archive;
using Gateway.DataLoading;
using GraphQL.DataLoader;
using MetaGraph;

namespace Gateway.Messages;

/// <summary>Where a message's details came from.</summary>
public enum MessageDetailsSource
{
    [Description("Meta: Graph API, or the webhook that delivered the message.")] Graph,
    [Description("The gateway's message archive: Meta no longer gives the details (the message is older than its conversation's 20 most recent), and the archive kept them.")] Archive,
    [Description("Nowhere: Meta gives no details of the message (older than its conversation's 20 most recent, or unsent), and the archive does not hold them.")] Unavailable,
}

/// <summary>A message's details, with the fields they hold and where they came from; <c>Data</c> is null when unavailable.</summary>
public sealed record MessageDetails(Message? Data, MessageFields Loaded, MessageDetailsSource Source)
{
    public static readonly MessageDetails Unavailable = new(null, MessageFields.None, MessageDetailsSource.Unavailable);

    /// <summary>What Graph answered with <paramref name="loaded"/>; null when it refused (the 20-message rule, an unsend).</summary>
    public static MessageDetails FromGraph(Message? data, MessageFields loaded)
        => data is null ? Unavailable : new(data, loaded, MessageDetailsSource.Graph);

    /// <summary>The archive's copy: every field it kept.</summary>
    public static MessageDetails FromArchive(ArchivedMessage archived) => new(archived.ToGraph(), MessageFields.All, MessageDetailsSource.Archive);
}

/// <summary>
/// A message as the schema sees it: what its listing said (position, time) plus the details read so far. Made only by
/// the factories below, one per way a message is met.
/// </summary>
public sealed class MessageNode
{
    /// <summary>See <see cref="MetaGraphClient.MessagesWithDetails"/>.</summary>
    public const int DetailsWindow = MetaGraphClient.MessagesWithDetails;

    private MessageNode(string id, int? position, DateTimeOffset? createdTime, MessageDetails? details, MessageFields requested, GraphLoaders loaders)
    {
        Id = id;
        Position = position;
        CreatedTime = createdTime;
        Details = details;
        Requested = requested;
        Loaders = loaders;
    }

    public string Id { get; }

    /// <summary>Index from the conversation's newest message, when it came from a listing.</summary>
    public int? Position { get; }

    public DateTimeOffset? CreatedTime { get; }

    /// <summary>Set once the details were read, or are known to be unavailable.</summary>
    public MessageDetails? Details { get; }

    /// <summary>The detail fields the query selected on this message.</summary>
    public MessageFields Requested { get; }

    public GraphLoaders Loaders { get; }

    /// <summary>Where the details come from, when that is known without reading them: inside the details window, Graph.</summary>
    public MessageDetailsSource? KnownSource => Details?.Source ?? (Position < DetailsWindow ? MessageDetailsSource.Graph : null);

    /// <summary>Reads the details with <paramref name="needed"/>, batched with the level's other messages: past the details
    /// window from the archive (Meta gives none, so Graph is not asked); otherwise from Graph, and for a message whose
    /// position is unknown, from the archive when it knows the message is past the window or Graph no longer gives it.</summary>
    public IDataLoaderResult<MessageDetails> LoadDetails(MessageFields needed)
        => Position >= DetailsWindow
            ? Loaders.Get<ArchivedMessageLoader>().Load(Id)
            : Loaders.Get<MessageLoader>().Load(new MessageKey(Id, Requested | needed, PositionUnknown: Position is null));

    /// <summary>A message from a conversation's listing at <paramref name="position"/>; its details came along when the
    /// listing asked for <paramref name="listed"/> and the message is within the details window. Past it, they are the
    /// archive's to give, and unavailable without an archive.</summary>
    public static MessageNode FromListing(Message message, int position, MessageFields listed, MessageFields requested, GraphLoaders loaders)
        => new(message.Id, position, message.CreatedTime,
            position >= DetailsWindow ? (loaders.Archive is null ? MessageDetails.Unavailable : null)
            : listed != MessageFields.None ? MessageDetails.FromGraph(message, listed) : null,
            requested, loaders);

    /// <summary>A message read by its id (<c>message(id:)</c>, <c>node</c>, <c>_entities</c>) with the details found.</summary>
    public static MessageNode FromLookup(string id, MessageDetails details, MessageFields requested, GraphLoaders loaders)
        => new(id, null, details.Data?.CreatedTime, details, requested, loaders);

    /// <summary>A message a webhook just delivered: its conversation's newest, with the details the webhook carried.</summary>
    public static MessageNode FromWebhook(Message message, MessageFields delivered, GraphLoaders loaders)
        => new(message.Id, 0, message.CreatedTime, MessageDetails.FromGraph(message, delivered), MessageFields.None, loaders);

    /// <summary>A message known by its id alone (a reaction's or an unsend's): every detail is read when selected.</summary>
    public static MessageNode FromId(string id, GraphLoaders loaders) => new(id, null, null, null, MessageFields.None, loaders);
}
