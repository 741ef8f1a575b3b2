using Gateway.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Subscriptions;

/// <summary>Subscriptions on the GraphQL path: WebSocket (<c>graphql-transport-ws</c>) and Server-Sent Events. Other
/// requests on the path go on to the GraphQL-over-HTTP endpoint.</summary>
public static class SubscriptionTransports
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

    public static WebApplication UseGraphQLSubscriptions(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<GraphQLHttpOptions>>().Value.Path;
        app.UseWebSockets();
        app.Use(async (context, next) =>
        {
            // Banana Cake Pop lives at the path with a trailing slash and subscribes there.
            if (context.Request.Path.Value?.TrimEnd('/').Equals(path, StringComparison.OrdinalIgnoreCase) == true)
            {
                if (context.WebSockets.IsWebSocketRequest)
                {
                    await GraphQLWebSocketConnection.HandleAsync(context);
                    return;
                }
                if (GraphQLServerSentEvents.IsRequested(context.Request))
                {
                    await GraphQLServerSentEvents.HandleAsync(context);
                    return;
                }
            }
            await next();
        });
        return app;
    }
}
