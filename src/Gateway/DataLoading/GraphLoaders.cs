using Gateway.Conversations;
using Gateway.Messages;
using Gateway.Meta;
using Gateway.Participants;

namespace Gateway.DataLoading;

/// <summary>The loaders of one request for one access token. Keeping a set per token means nothing loaded with one
/// Page's token is ever served to a field resolved with another's.</summary>
public sealed class GraphLoaders
{
    public GraphLoaders(GovernedGraphClient client, string accessToken, ExecutionMode mode)
    {
        PushDown = mode == ExecutionMode.PushDown;
        var options = mode == ExecutionMode.Naive
            ? new DataLoaderOptions(Batching: false)
            : new DataLoaderOptions(MaxBatchSize: client.MaxItemsPerCall);
        MessageListings = new MessagesListingLoader(client, accessToken, options);
        Messages = new MessageLoader(client, accessToken, options);
        ConversationListings = new ConversationListingLoader(client, accessToken, options, MessageListings);
        Conversations = new ConversationLoader(client, accessToken, options, MessageListings);
        Profiles = new ProfileLoader(client, accessToken, options);
    }

    public bool PushDown { get; }

    public ConversationListingLoader ConversationListings { get; }

    public ConversationLoader Conversations { get; }

    public MessagesListingLoader MessageListings { get; }

    public MessageLoader Messages { get; }

    public ProfileLoader Profiles { get; }
}
