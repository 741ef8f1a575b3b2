namespace Gateway.Subscriptions;

/// <summary>What subscriptions need: the inbox event hub and history, shared executions and the subscriber's access check.
/// The transports (<c>graphql-transport-ws</c>, Server-Sent Events) live with the HTTP endpoint.</summary>
public static class SubscriptionServices
{
    public static IServiceCollection AddGraphQLSubscriptions(this IServiceCollection services)
    {
        services.AddOptions<SubscriptionOptions>().BindConfiguration(SubscriptionOptions.Section);
        services.AddSingleton<InboxEventHub>();
        services.AddSingleton<InboxEventHistory>();
        services.AddSingleton<InboxEventFanOut>();
        services.AddHostedService(provider => provider.GetRequiredService<InboxEventFanOut>());
        services.AddSingleton<SharedSubscriptions>();
        services.AddSingleton<SubscriptionExecutor>();
        services.AddSingleton<VerifiedPageTokens>();
        services.AddScoped<PageAccess>();
        return services;
    }
}
