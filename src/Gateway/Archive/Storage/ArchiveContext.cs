using System.Text;
using MetaGraph;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Gateway.Archive.Storage;

/// <summary>
/// The archive's model, shared by both databases. EF Core migrations are provider-specific, so each database has a small
/// derived context (<see cref="SqliteArchiveContext"/>, <see cref="PostgresArchiveContext"/>) that owns its migrations and
/// adds what only that database has: its full-text index and its column types.
/// </summary>
internal abstract class ArchiveContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<ConversationRow> Conversations => Set<ConversationRow>();
    public DbSet<ParticipantRow> Participants => Set<ParticipantRow>();
    public DbSet<MessageRow> Messages => Set<MessageRow>();
    public DbSet<SyncCheckpointRow> SyncCheckpoints => Set<SyncCheckpointRow>();
    public DbSet<SyncedConversationRow> SyncedConversations => Set<SyncedConversationRow>();
    public DbSet<DataDeletionRow> DataDeletions => Set<DataDeletionRow>();

    /// <summary>The SQL that differs between the two databases (upserts, full-text search, time values).</summary>
    public abstract ArchiveDialect Dialect { get; }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Platform>().HaveConversion<PlatformConverter>();
        configurationBuilder.Properties<InboxSyncState>().HaveConversion<SyncStateConverter>();
        configurationBuilder.Properties<MessageSources>().HaveConversion<int>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ConversationRow>(conversation =>
        {
            conversation.ToTable("conversations").HasKey(c => c.Id);
            conversation.HasIndex(c => new { c.PageId, c.Platform });
            conversation.HasIndex(c => c.UpdatedTime);
            conversation.HasMany(c => c.Participants).WithOne().HasForeignKey(p => p.ConversationId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ParticipantRow>(participant =>
        {
            participant.ToTable("conversation_participants").HasKey(p => new { p.ConversationId, p.PersonId });
            participant.HasIndex(p => p.PersonId);
        });
        modelBuilder.Entity<MessageRow>(message =>
        {
            message.ToTable("messages").HasKey(m => m.Seq);
            message.HasAlternateKey(m => m.Id);
            // Thread pages newest first, and the keyset that pages them: (created_time, id) after the cursor.
            message.HasIndex(m => new { m.ConversationId, m.CreatedTime, m.Id });
            message.HasIndex(m => m.CreatedTime);
            message.HasIndex(m => m.FromId);
        });
        modelBuilder.Entity<SyncCheckpointRow>().ToTable("inbox_sync_checkpoints").HasKey(s => new { s.PageId, s.Platform });
        modelBuilder.Entity<SyncedConversationRow>().ToTable("inbox_sync_conversations")
            .HasKey(s => new { s.PageId, s.Platform, s.ConversationId });
        modelBuilder.Entity<DataDeletionRow>().ToTable("data_deletion_requests").HasKey(d => d.ConfirmationCode);
        UseSnakeCaseColumns(modelBuilder);
    }

    /// <summary>snake_case columns on both databases, so the raw SQL of upserts and search reads the same on each.</summary>
    private static void UseSnakeCaseColumns(ModelBuilder modelBuilder)
    {
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(entity => entity.GetProperties()))
        {
            property.SetColumnName(SnakeCase(property.Name));
        }
    }

    private static string SnakeCase(string name)
    {
        var snake = new StringBuilder(name.Length + 8);
        foreach (var character in name)
        {
            if (char.IsUpper(character) && snake.Length > 0)
            {
                snake.Append('_');
            }
            snake.Append(char.ToLowerInvariant(character));
        }
        return snake.ToString();
    }

    private sealed class PlatformConverter() : ValueConverter<Platform, string>(
        platform => ArchiveColumns.Platform(platform), text => ArchiveColumns.ParsePlatform(text));

    private sealed class SyncStateConverter() : ValueConverter<InboxSyncState, string>(
        state => ArchiveColumns.SyncState(state), text => ArchiveColumns.ParseSyncState(text));
}
