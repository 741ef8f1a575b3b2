using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Archive;

public static class ArchiveServiceCollectionExtensions
{
    /// <summary>
    /// Registers the message archive on the database <paramref name="connectionString"/> names (SQLite's
    /// <c>Data Source=…</c> or PostgreSQL's <c>Host=…</c>, as in <c>ConnectionStrings:Archive</c>): a pooled
    /// <see cref="ArchiveDatabase"/> (migrations, health) and the <see cref="MessageArchive"/> store. Nothing is opened
    /// until first use; an unrecognised connection string fails here, at start-up.
    /// </summary>
    public static IServiceCollection AddMessageArchive(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArchiveDatabase.DetectProvider(connectionString);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => ArchiveDatabase.Open(connectionString, provider.GetService<ILoggerFactory>()));
        services.AddSingleton<MessageArchive>();
        return services;
    }
}
