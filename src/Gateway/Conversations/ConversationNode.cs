using Gateway.DataLoading;
using MetaGraph;

namespace Gateway.Conversations;

/// <summary>A conversation as read from Graph API with the fields its query selected.</summary>
/// <param name="AsOfEvent">Built from a replayed inbox event: only what the event says (no Graph read of today's state),
/// so fields it cannot say (counts, messages) are null.</param>
public sealed record ConversationNode(Conversation Data, Platform Platform, GraphLoaders Loaders, bool AsOfEvent = false)
{
    /// <summary>See <see cref="GraphIds.PlatformOfConversation"/>.</summary>
    public static Platform PlatformOf(string conversationId) => GraphIds.PlatformOfConversation(conversationId);
}
