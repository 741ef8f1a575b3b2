using Gateway.Callers;
using Gateway.Configuration;
namespace Gateway.Http;

/// <summary>CORS for browser apps on other origins, by ASP.NET Core's middleware: only the methods and headers a GraphQL
/// client sends (<c>Authorization</c> carries the Page token, <c>X-Api-Key</c> the caller's key).</summary>
public static class CrossOrigin
{
    public static IHostApplicationBuilder AddGatewayCors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<CrossOriginOptions>(CrossOriginOptions.Section);
        // The policy is built here, from the same section.
        var options = builder.Configuration.GetSection(CrossOriginOptions.Section).Get<CrossOriginOptions>() ?? new CrossOriginOptions();
        var anyOrigin = options.AllowedOrigins.Contains("*");
        if (anyOrigin && options.AllowCredentials)
        {
            throw new InvalidSettingsException(
                "Gateway:Cors:AllowedOrigins contains \"*\" while Gateway:Cors:AllowCredentials is true; browsers refuse that combination. List the origins instead.");
        }
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (anyOrigin)
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins(options.AllowedOrigins);
            }
            if (options.AllowCredentials)
            {
                policy.AllowCredentials();
            }
            policy.WithMethods(HttpMethods.Get, HttpMethods.Post)
                .WithHeaders("Authorization", "Content-Type", "Accept", CallerAuthentication.ApiKeyHeader)
                .SetPreflightMaxAge(options.PreflightMaxAge);
        }));
        return builder;
    }

    public static IApplicationBuilder UseGatewayCors(this IApplicationBuilder app) => app.UseCors();
}
