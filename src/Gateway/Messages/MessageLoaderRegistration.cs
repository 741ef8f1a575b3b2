using Gateway.DataLoading;
using MetaGraph;

namespace Gateway.Messages;

public static class MessageLoaderRegistration
{
    /// <summary>Pages of a conversation's messages, and messages' details by id (from Graph, or the archive past Meta's window).</summary>
    public static IServiceCollection AddMessageLoaders(this IServiceCollection services) => services
        .AddGraphLoader(loaders => new MessagesListingLoader(loaders.Client, loaders.AccessToken, loaders.OptionsFor(MetaApi.Conversations)))
        .AddGraphLoader(loaders => new MessageLoader(loaders.Client, loaders.AccessToken, loaders.OptionsFor(MetaApi.Conversations), loaders.Archive))
        .AddGraphLoader(loaders => new ArchivedMessageLoader(
            loaders.Archive ?? throw new InvalidOperationException("Archived details are read only when the gateway keeps an archive."),
            loaders.OptionsFor(MetaApi.Conversations)));
}
