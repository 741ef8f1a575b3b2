using Gateway.Telemetry;
using Gateway.Conversations;
using Gateway.Messages;
using Gateway.Upstream;
using Gateway.Participants;
using MetaGraph;

namespace Gateway.DataLoading;

/// <summary>The loaders of one request for one access token. Keeping a set per token means nothing loaded with one
/// Page's token is ever served to a field resolved with another's.</summary>
public sealed class GraphLoaders
{
    public GraphLoaders(GovernedGraphClient client, string accessToken, ExecutionMode mode, GatewayMetrics metrics)
    {
        PushDown = mode == ExecutionMode.PushDown;
        // A batch is one Graph request, so it never holds more than the Page's window of its API affords.
        DataLoaderOptions Options(MetaApi api) => mode == ExecutionMode.Naive
            ? new DataLoaderOptions(metrics, Batching: false)
            : new DataLoaderOptions(metrics, MaxBatchSize: client.MaxItemsPerCall(api));
        var conversationsApi = Options(MetaApi.Conversations);
        MessageListings = new MessagesListingLoader(client, accessToken, conversationsApi);
        Messages = new MessageLoader(client, accessToken, conversationsApi);
        ConversationListings = new ConversationListingLoader(client, accessToken, conversationsApi, MessageListings);
        Conversations = new ConversationLoader(client, accessToken, conversationsApi, MessageListings);
        Profiles = new ProfileLoader(client, accessToken, Options(MetaApi.Profiles));
    }

    public bool PushDown { get; }

    public ConversationListingLoader ConversationListings { get; }

    public ConversationLoader Conversations { get; }

    public MessagesListingLoader MessageListings { get; }

    public MessageLoader Messages { get; }

    public ProfileLoader Profiles { get; }
}
