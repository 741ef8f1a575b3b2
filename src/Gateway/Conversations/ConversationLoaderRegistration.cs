using Gateway.DataLoading;
using Gateway.Messages;
using MetaGraph;

namespace Gateway.Conversations;

public static class ConversationLoaderRegistration
{
    /// <summary>Listings of a Page's conversations and conversations by id; both prime the messages they carry.</summary>
    public static IServiceCollection AddConversationLoaders(this IServiceCollection services) => services
        .AddGraphLoader(loaders => new ConversationListingLoader(loaders.Client, loaders.AccessToken, loaders.OptionsFor(MetaApi.Conversations),
            loaders.Get<MessagesListingLoader>(), loaders.Archive))
        .AddGraphLoader(loaders => new ConversationLoader(loaders.Client, loaders.AccessToken, loaders.OptionsFor(MetaApi.Conversations),
            loaders.Get<MessagesListingLoader>(), loaders.Archive));
}
