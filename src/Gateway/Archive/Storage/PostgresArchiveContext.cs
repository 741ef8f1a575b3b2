using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;

namespace Gateway.Archive.Storage;

/// <summary>
/// The archive on PostgreSQL (for several instances and large inboxes). JSON columns are <c>jsonb</c>, and
/// <c>messages.search_vector</c> is a stored generated <c>tsvector</c> with a GIN index (after <c>page_id</c>), built with
/// the text search configuration <c>archive_search</c>: PostgreSQL's <c>simple</c> with <c>unaccent</c> in front (made by
/// the migration's SQL), so <c>Zoë</c> matches <c>zoe</c> and <c>ts_headline</c> still marks the accented word. The text
/// and the search terms both pass through <c>archive_search_words</c>, which blanks ASCII punctuation: PostgreSQL's parser
/// would otherwise read <c>~x</c>, <c>a/b</c> or <c>zoe@example.com</c> as one token alone and as several in a sentence,
/// and split words differently from SQLite's FTS5.
/// </summary>
internal sealed class PostgresArchiveContext(DbContextOptions<PostgresArchiveContext> options) : ArchiveContext(options)
{
    public const string SearchConfiguration = "archive_search";

    public override ArchiveDialect Dialect => PostgresDialect.Instance;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasPostgresExtension("unaccent");
        // btree_gin puts page_id into the text index: a search walks only its Page's matches, however many Pages the
        // archive holds.
        modelBuilder.HasPostgresExtension("btree_gin");
        modelBuilder.Entity<MessageRow>(message =>
        {
            foreach (var json in (string[])[nameof(MessageRow.Recipients), nameof(MessageRow.Attachments), nameof(MessageRow.Shares),
                         nameof(MessageRow.Story), nameof(MessageRow.ReplyTo), nameof(MessageRow.Reactions), nameof(MessageRow.Tags)])
            {
                message.Property(json).HasColumnType("jsonb");
            }
            message.Property<NpgsqlTsVector>("SearchVector").HasColumnName("search_vector")
                .HasComputedColumnSql($"to_tsvector('{SearchConfiguration}'::regconfig, archive_search_words(text))", stored: true);
            message.HasIndex(nameof(MessageRow.PageId), "SearchVector").HasMethod("gin");
        });
    }
}
