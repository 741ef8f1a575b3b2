using Gateway.Callers;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

public static class GraphQLCallerAuthentication
{
    /// <summary>In managed mode, GraphQL requests without a valid caller get 401 before anything executes.</summary>
    public static IApplicationBuilder UseCallerAuthentication(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<CallerAuthenticationOptions>>().Value.Required)
        {
            if (CallerAuthentication.RequiredByDefault(app.Configuration, app.Environment))
            {
                app.Logger.LogWarning("Gateway:Auth:Required=false: anyone who reaches this gateway reads the Pages whose tokens are configured on the server.");
            }
            return app;
        }
        var endpoint = app.Services.GetRequiredService<IOptions<GraphQLHttpOptions>>().Value.Path;
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            // Every way of running an operation (a query, a persisted document's id, an automatic persisted query's hash).
            var isGraphQLRequest = context.Request.Path.StartsWithSegments(endpoint, out var rest) && rest.Value is null or "" or "/"
                && GraphQLHttpEndpoint.RunsOperation(context.Request);
            if (isGraphQLRequest && context.User.Identity?.IsAuthenticated != true)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer, ApiKey";
                await context.Response.WriteAsJsonAsync(new { errors = new[] { new { message = "Authenticate with an X-Api-Key header or an Authorization: Bearer JWT.", extensions = new { code = "AUTH_NOT_AUTHENTICATED" } } } });
                return;
            }
            await next();
        });
        return app;
    }
}
