using Microsoft.Extensions.Options;

namespace Gateway.Http;

public static class GraphQLWebSockets
{
    /// <summary>WebSocket upgrades on the GraphQL path speak <c>graphql-transport-ws</c>; every other request goes on to
    /// the GraphQL-over-HTTP endpoint (which answers subscriptions over Server-Sent Events).</summary>
    public static WebApplication UseGraphQLWebSockets(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<GraphQLHttpOptions>>().Value.Path;
        app.UseWebSockets();
        app.Use(async (context, next) =>
        {
            // Banana Cake Pop lives at the path with a trailing slash and subscribes there.
            if (context.WebSockets.IsWebSocketRequest && context.Request.Path.Value?.TrimEnd('/').Equals(path, StringComparison.OrdinalIgnoreCase) == true)
            {
                await GraphQLWebSocketConnection.HandleAsync(context);
                return;
            }
            await next();
        });
        return app;
    }
}
