using Gateway.DataLoading;
using MetaGraph;

namespace Gateway.Participants;

public static class ProfileLoaderRegistration
{
    /// <summary>People's user profiles, priced against the Page's profile allowance.</summary>
    public static IServiceCollection AddProfileLoader(this IServiceCollection services)
        => services.AddGraphLoader(loaders => new ProfileLoader(loaders.Client, loaders.AccessToken, loaders.OptionsFor(MetaApi.Profiles)));
}
