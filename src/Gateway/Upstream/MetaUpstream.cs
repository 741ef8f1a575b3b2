using Gateway.Configuration;
namespace Gateway.Upstream;

public static class MetaUpstream
{
    /// <summary>
    /// The Graph API client and the Page tokens. The embedded emulator (demo data, in-process) runs when asked for with
    /// <c>Meta:UseEmulator=true</c>, or in Development when no <c>Meta:GraphApiBaseUrl</c> is configured; otherwise a
    /// missing Graph API configuration stops start-up with a clear message instead of silently calling nothing.
    /// </summary>
    /// <summary>
    /// The Graph API client, the per-Page governor and the Page tokens configured on the server. A missing Graph API
    /// configuration stops start-up with a clear message instead of silently calling nothing (the demo configures one).
    /// </summary>
    public static IHostApplicationBuilder AddMetaUpstream(this IHostApplicationBuilder builder)
    {
        var meta = builder.Configuration.GetSection("Meta");
        if (string.IsNullOrEmpty(meta["GraphApiBaseUrl"]))
        {
            throw new InvalidSettingsException(
                "Meta is not configured: set Meta:GraphApiBaseUrl (https://graph.facebook.com) and Meta:GraphApiVersion, " +
                "optionally Meta:AppSecret and Meta:Pages:<pageId>:AccessToken, or set Meta:UseEmulator=true for the demo data.");
        }

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddValidatedOptions<ManagedPagesOptions>(ManagedPagesOptions.Section);
        builder.Services.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.Section);
        builder.Services.AddValidatedOptions<UpstreamBudgetOptions>(UpstreamBudgetOptions.Section);
        builder.Services.AddSingleton<PageCallGovernor>();
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 })
        {
            builder.Services.AddSingleton<ISharedPageWindow, RedisPageWindow>();
        }
        else
        {
            builder.Services.AddSingleton<ISharedPageWindow, LocalPageWindow>();
        }
        builder.Services.AddSingleton<TokenPages>();
        builder.Services.AddTransient<PageAllowanceHandler>();
        // Added after the resilience pipeline, so it runs inside it: once per attempt, and not while the circuit is open.
        builder.Services.AddMetaGraphClient(builder.Configuration).AddHttpMessageHandler<PageAllowanceHandler>();
        // Writes never retry: their pipeline has no resilience handler (GovernedGraphClient prices each before it leaves).
        builder.Services.AddMetaSendClient();
        builder.Services.AddScoped<GovernedGraphClient>();
        return builder;
    }
}
