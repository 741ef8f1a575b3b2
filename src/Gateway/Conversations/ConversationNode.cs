using Gateway.DataLoading;
using MetaGraph;

namespace Gateway.Conversations;

/// <summary>A conversation as read from Graph API with the fields its query selected.</summary>
/// <param name="AsOfEvent">Built from a replayed inbox event: only what the event says (no Graph read of today's state),
/// so fields it cannot say (counts, messages) are null.</param>
public sealed record ConversationNode(Conversation Data, Platform Platform, GraphLoaders Loaders, bool AsOfEvent = false)
{
    /// <summary>Graph API does not return a conversation's platform; Messenger thread ids are <c>t_</c>-prefixed.</summary>
    public static Platform PlatformOf(string conversationId)
        => conversationId.StartsWith("t_", StringComparison.Ordinal) ? Platform.Messenger : Platform.Instagram;
}
