using Gateway.DataLoading;
using MetaGraph;

namespace Gateway.Messages;

public static class MessageLoaderRegistration
{
    /// <summary>Pages of a conversation's messages, and messages' details by id.</summary>
    public static IServiceCollection AddMessageLoaders(this IServiceCollection services) => services
        .AddGraphLoader(loaders => new MessagesListingLoader(loaders.Client, loaders.AccessToken, loaders.OptionsFor(MetaApi.Conversations)))
        .AddGraphLoader(loaders => new MessageLoader(loaders.Client, loaders.AccessToken, loaders.OptionsFor(MetaApi.Conversations)));
}
