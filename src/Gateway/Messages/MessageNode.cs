using Gateway.DataLoading;
using MetaGraph;

namespace Gateway.Messages;

/// <summary>
/// A message as the schema sees it: what its listing said (position, time) plus the details read so far.
/// </summary>
/// <param name="Position">Index from the conversation's newest message, when it came from a listing.</param>
/// <param name="Details">Set once Graph was asked for details; its <c>Data</c> is null when Graph refused them.</param>
/// <param name="Requested">The detail fields the query selected on this message.</param>
public sealed record MessageNode(
    string Id, int? Position, DateTimeOffset? CreatedTime, MessageDetails? Details, MessageFields Requested, GraphLoaders Loaders)
{
    /// <summary>Only the 20 most recent messages of a conversation have details (Meta's rule).</summary>
    public const int DetailsWindow = 20;

    public bool? KnownDetailsAvailable => Details is not null ? Details.Data is not null
        : Position is int position ? position < DetailsWindow
        : null;
}

public sealed record MessageDetails(Message? Data, MessageFields Loaded);
