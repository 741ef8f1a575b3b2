using Gateway.Archive;
using Microsoft.Extensions.Time.Testing;
using static Gateway.Tests.Archive.ArchiveTestData;

namespace Gateway.Tests.Archive;

/// <summary>What the archive's test classes share: a fake clock, and fresh archives on the class's database provider.</summary>
public abstract class ArchiveTests(IArchiveDatabases databases)
{
    protected IArchiveDatabases Databases => databases;

    protected FakeTimeProvider Clock { get; } = new(Start);

    /// <summary>A store on a new database, holding <paramref name="messages"/>.</summary>
    protected async Task<MessageArchive> ArchiveAsync(params ArchivedMessage[] messages)
    {
        var archive = new MessageArchive(await databases.CreateAsync(), Clock);
        await archive.UpsertMessagesAsync(messages);
        return archive;
    }

    /// <summary>Two instances on one new database: two stores, each with its own pool of connections.</summary>
    protected async Task<(MessageArchive A, MessageArchive B)> InstancesAsync()
    {
        var connectionString = await databases.CreateMigratedAsync();
        return (new MessageArchive(ArchiveDatabase.Open(connectionString), Clock), new MessageArchive(ArchiveDatabase.Open(connectionString), Clock));
    }
}
