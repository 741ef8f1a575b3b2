using Gateway.Archive.Hosting;
using Gateway.Configuration;

namespace Gateway.InboxSync;

public static class InboxSyncServices
{
    /// <summary>Inbox syncs into the message archive, when one is configured (after <see cref="ArchiveServices.AddArchive"/>,
    /// so that the archive is migrated before an interrupted sync resumes).</summary>
    public static IHostApplicationBuilder AddInboxSync(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<InboxSyncOptions>(InboxSyncOptions.Section);
        if (ArchiveServices.ConnectionString(builder.Configuration, builder.Environment) is not null)
        {
            builder.Services.AddSingleton<InboxSyncRunner>();
            builder.Services.AddSingleton<InboxSyncService>();
            builder.Services.AddHostedService(provider => provider.GetRequiredService<InboxSyncService>());
        }
        return builder;
    }
}
