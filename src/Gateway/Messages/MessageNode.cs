using Gateway.DataLoading;
using MetaGraph;

namespace Gateway.Messages;

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

    /// <summary>Set once Graph was asked for details; its <c>Data</c> is null when Graph refused them.</summary>
    public MessageDetails? Details { get; }

    /// <summary>The detail fields the query selected on this message.</summary>
    public MessageFields Requested { get; }

    public GraphLoaders Loaders { get; }

    public bool? KnownDetailsAvailable => Details is not null ? Details.Data is not null
        : Position is int position ? position < DetailsWindow
        : null;

    /// <summary>A message from a conversation's listing at <paramref name="position"/>; its details came along when the
    /// listing asked for <paramref name="listed"/> and the message is within the details window.</summary>
    public static MessageNode FromListing(Message message, int position, MessageFields listed, MessageFields requested, GraphLoaders loaders)
        => new(message.Id, position, message.CreatedTime,
            listed != MessageFields.None && position < DetailsWindow ? new MessageDetails(message, listed) : null, requested, loaders);

    /// <summary>A message read by its id (<c>message(id:)</c>, <c>node</c>, <c>_entities</c>); <paramref name="message"/> is
    /// null when Graph refused its details.</summary>
    public static MessageNode FromLookup(string id, Message? message, MessageFields requested, GraphLoaders loaders)
        => new(id, null, message?.CreatedTime, new MessageDetails(message, requested), requested, loaders);

    /// <summary>A message a webhook just delivered: its conversation's newest, with the details the webhook carried.</summary>
    public static MessageNode FromWebhook(Message message, MessageFields delivered, GraphLoaders loaders)
        => new(message.Id, 0, message.CreatedTime, new MessageDetails(message, delivered), MessageFields.None, loaders);

    /// <summary>A message known by its id alone (a reaction's or an unsend's): every detail is read when selected.</summary>
    public static MessageNode FromId(string id, GraphLoaders loaders) => new(id, null, null, null, MessageFields.None, loaders);
}

public sealed record MessageDetails(Message? Data, MessageFields Loaded);
