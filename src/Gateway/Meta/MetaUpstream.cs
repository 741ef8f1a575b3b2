using System.Security.Cryptography;
using MetaGraph;
using MetaGraph.Emulator;

namespace Gateway.Meta;

public static class MetaUpstream
{
    /// <summary>
    /// The Graph API client and the Page tokens. With <c>Meta:UseEmulator</c> (on by default in Development) an
    /// emulator starts in-process with demo data and the gateway talks to it; in Production a missing Graph API
    /// configuration stops start-up with a clear message instead of silently calling nothing.
    /// </summary>
    public static IHostApplicationBuilder AddMetaUpstream(this IHostApplicationBuilder builder)
    {
        var meta = builder.Configuration.GetSection("Meta");
        var useEmulator = meta.GetValue<bool?>("UseEmulator") ?? builder.Environment.IsDevelopment();
        if (useEmulator)
        {
            builder.StartEmbeddedEmulator();
        }
        else if (builder.Environment.IsProduction() && string.IsNullOrEmpty(meta["GraphApiBaseUrl"]))
        {
            throw new InvalidOperationException(
                "Meta is not configured: set Meta:GraphApiBaseUrl (https://graph.facebook.com) and Meta:GraphApiVersion, " +
                "optionally Meta:AppSecret and Meta:Pages:<pageId>:AccessToken, or set Meta:UseEmulator=true for the demo data.");
        }

        builder.Services.AddHttpContextAccessor();
        builder.Services.Configure<ManagedPagesOptions>(meta);
        builder.Services.AddScoped<AccessTokens>();
        builder.Services.AddMetaGraphClient(builder.Configuration);
        builder.Services.Configure<RateLimitOptions>(builder.Configuration.GetSection(RateLimitOptions.Section));
        builder.Services.Configure<UpstreamBudgetOptions>(builder.Configuration.GetSection(UpstreamBudgetOptions.Section));
        builder.Services.AddSingleton<PageRateLimiter>();
        builder.Services.AddScoped<GovernedGraphClient>();
        return builder;
    }

    /// <summary>Where the embedded emulator listens when the port is free, so README's curl commands work as written.</summary>
    public const string EmbeddedEmulatorUrl = "http://127.0.0.1:5090";

    private static void StartEmbeddedEmulator(this IHostApplicationBuilder builder)
    {
        EmulatorServer emulator;
        try
        {
            emulator = EmulatorServer.StartAsync(new EmulatorOptions(), EmbeddedEmulatorUrl).GetAwaiter().GetResult();
        }
        catch (IOException)
        {
            // Taken (another gateway, a standalone emulator): any free port; the banner prints the address.
            emulator = EmulatorServer.StartAsync(new EmulatorOptions()).GetAwaiter().GetResult();
        }
        var settings = new Dictionary<string, string?> { ["Meta:GraphApiBaseUrl"] = emulator.BaseAddress.ToString().TrimEnd('/') };
        // The demo's webhooks are signed and verified as Meta's are; unless configured, with values made up for this run.
        if (string.IsNullOrEmpty(builder.Configuration["Meta:AppSecret"]))
        {
            settings["Meta:AppSecret"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        }
        if (string.IsNullOrEmpty(builder.Configuration["Meta:Webhooks:VerifyToken"]))
        {
            settings["Meta:Webhooks:VerifyToken"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        }
        foreach (var page in emulator.Seed)
        {
            settings[$"Meta:Pages:{page.PageId}:AccessToken"] = page.AccessToken;
            settings[$"Meta:Pages:{page.PageId}:InstagramAccountId"] = page.InstagramAccountId;
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(emulator);
        builder.Services.AddHostedService<DemoBanner>();
        builder.Services.AddHostedService<Webhooks.EmbeddedEmulatorWebhooks>();
    }
}
