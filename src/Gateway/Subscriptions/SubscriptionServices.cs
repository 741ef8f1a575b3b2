using Gateway.Configuration;

namespace Gateway.Subscriptions;

/// <summary>What subscriptions need besides the inbox event spine they follow: shared executions and the subscriber's
/// access check. The transports (<c>graphql-transport-ws</c>, Server-Sent Events) live with the HTTP endpoint.</summary>
public static class SubscriptionServices
{
    public static IHostApplicationBuilder AddGraphQLSubscriptions(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<SubscriptionOptions>(SubscriptionOptions.Section);
        services.AddSingleton<SharedSubscriptions>();
        services.AddSingleton<SubscriptionExecutor>();
        services.AddSingleton<VerifiedPageTokens>();
        services.AddScoped<PageAccess>();
        return builder;
    }
}
