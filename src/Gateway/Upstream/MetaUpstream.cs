using Gateway.Hosting;
using System.Security.Cryptography;
using MetaGraph;
using MetaGraph.Emulator;

namespace Gateway.Upstream;

public static class MetaUpstream
{
    /// <summary>
    /// The Graph API client and the Page tokens. The embedded emulator (demo data, in-process) runs when asked for with
    /// <c>Meta:UseEmulator=true</c>, or in Development when no <c>Meta:GraphApiBaseUrl</c> is configured; otherwise a
    /// missing Graph API configuration stops start-up with a clear message instead of silently calling nothing.
    /// </summary>
    public static IHostApplicationBuilder AddMetaUpstream(this IHostApplicationBuilder builder)
    {
        var meta = builder.Configuration.GetSection("Meta");
        if (UsesEmbeddedEmulator(builder.Configuration, builder.Environment))
        {
            builder.StartEmbeddedEmulator();
        }
        else if (string.IsNullOrEmpty(meta["GraphApiBaseUrl"]))
        {
            throw new InvalidOperationException(
                "Meta is not configured: set Meta:GraphApiBaseUrl (https://graph.facebook.com) and Meta:GraphApiVersion, " +
                "optionally Meta:AppSecret and Meta:Pages:<pageId>:AccessToken, or set Meta:UseEmulator=true for the demo data.");
        }

        builder.Services.AddHttpContextAccessor();
        builder.Services.Configure<ManagedPagesOptions>(meta);
        builder.Services.AddScoped<AccessTokens>();
        builder.Services.Configure<RateLimitOptions>(builder.Configuration.GetSection(RateLimitOptions.Section));
        builder.Services.Configure<UpstreamBudgetOptions>(builder.Configuration.GetSection(UpstreamBudgetOptions.Section));
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
        builder.Services.AddScoped<GovernedGraphClient>();
        return builder;
    }

    /// <summary>Whether the gateway reads the embedded emulator's demo Pages rather than a configured Graph API.</summary>
    public static bool UsesEmbeddedEmulator(IConfiguration configuration, IHostEnvironment environment)
        => configuration.GetValue<bool?>("Meta:UseEmulator")
           ?? (environment.IsDevelopment() && string.IsNullOrEmpty(configuration["Meta:GraphApiBaseUrl"]));

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
        var settings = new Dictionary<string, string?>
        {
            ["Meta:GraphApiBaseUrl"] = emulator.BaseAddress.ToString().TrimEnd('/'),
            // Said explicitly, so that the base URL set here does not read as an operator's configuration later.
            ["Meta:UseEmulator"] = "true",
        };
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
