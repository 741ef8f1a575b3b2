using Gateway.Archive.Events;
using Gateway.Archive.Privacy;
using Gateway.Archive.Reads;
using Gateway.Configuration;
using Gateway.Health;
using Gateway.Inbox;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Archive.Hosting;

public static class ArchiveServices
{
    /// <summary>
    /// The message archive, when it has a database: <c>ConnectionStrings:Archive</c>, or in the demo (the embedded emulator)
    /// a SQLite file in the user's data folder (<see cref="DemoConnectionString"/>). Elsewhere, without the setting, the
    /// archive is off and nothing is stored: keeping message content on disk is the operator's decision. With it: migrations
    /// at start-up, the spine's consumer (once per cluster: through Redis when configured, else buffered in process), what
    /// Graph reads give, retention, Meta's data deletion callback and a readiness check that says degraded while the
    /// database is away.
    /// </summary>
    public static IHostApplicationBuilder AddArchive(this IHostApplicationBuilder builder)
    {
        if (ConnectionString(builder.Configuration, builder.Environment) is not { } connectionString)
        {
            return builder;
        }
        var services = builder.Services;
        services.AddValidatedOptions<ArchiveOptions>(ArchiveOptions.Section);
        services.AddMessageArchive(connectionString);
        services.AddSingleton<DataDeletions>();
        services.AddHostedService<ArchiveMigration>();
        services.AddSingleton<InboxEventArchive>();
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 })
        {
            services.AddInboxEventConsumer<InboxArchiver>(InboxDelivery.OncePerCluster);
        }
        else
        {
            services.AddInboxEventConsumer<BufferedInboxArchiver>(InboxDelivery.OncePerCluster);
            services.AddHostedService(provider => provider.GetRequiredService<BufferedInboxArchiver>());
        }
        services.AddSingleton<GraphReadArchiver>();
        services.AddHostedService(provider => provider.GetRequiredService<GraphReadArchiver>());
        services.AddSingleton<PageArchives>();
        services.AddHostedService<ArchiveRetention>();
        services.AddHealthChecks().AddCheck<ArchiveHealthCheck>("archive", HealthStatus.Degraded, tags: [HealthEndpoints.Ready]);
        return builder;
    }

    /// <summary>The archive's database: as configured, else the demo's file when the gateway runs on the embedded emulator,
    /// else none.</summary>
    public static string? ConnectionString(IConfiguration configuration, IHostEnvironment environment)
        => configuration.GetConnectionString("Archive") is { Length: > 0 } configured ? configured
            : DemoMode.IsOn(configuration, environment) ? DemoConnectionString()
            : null;

    /// <summary>The demo's archive: <c>meta-graph-gateway/demo-archive.db</c> in the user's local data folder
    /// (<c>~/.local/share</c> on Linux, <c>%LOCALAPPDATA%</c> on Windows), so it outlives the checkout's builds.</summary>
    public static string DemoConnectionString()
    {
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        var folder = Directory.CreateDirectory(Path.Combine(data.Length > 0 ? data : Path.GetTempPath(), "meta-graph-gateway"));
        return $"Data Source={Path.Combine(folder.FullName, "demo-archive.db")}";
    }
}
