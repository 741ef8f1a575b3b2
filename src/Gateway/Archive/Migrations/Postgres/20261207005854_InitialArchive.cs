using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using NpgsqlTypes;

#nullable disable

namespace Gateway.Archive.Migrations.Postgres;

/// <inheritdoc />
public partial class InitialArchive : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AlterDatabase()
            .Annotation("Npgsql:PostgresExtension:unaccent", ",,");

        // Full-text search: PostgreSQL's "simple" configuration (no stemming, no stop words: the inboxes mix English,
        // Spanish, Hebrew and emoji) with unaccent in front, so Zoë and zoe are one word and ts_headline marks either.
        // A configuration, unlike unaccent() itself, can be used in the generated column below: to_tsvector(regconfig,
        // text) is immutable.
        migrationBuilder.Sql("CREATE TEXT SEARCH CONFIGURATION archive_search (COPY = simple);");
        migrationBuilder.Sql("ALTER TEXT SEARCH CONFIGURATION archive_search ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;");
        // Text as the search sees it, messages and search terms alike: ASCII punctuation becomes space, so words split
        // where SQLite's FTS5 splits them, and the same way in a sentence as alone (the parser reads "~x", "a/b" or
        // "zoe@example.com" as paths and addresses when alone, as words in a sentence).
        migrationBuilder.Sql("""
            CREATE FUNCTION archive_search_words(content text) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $$
                SELECT translate(coalesce(content, ''), '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', repeat(' ', 32))
            $$;
            """);
        // A search term written prefix*: its words as phraseto_tsquery reads them (plain text, never operators), the last
        // one a prefix. The text appended to is PostgreSQL's own rendering of that query, never the caller's.
        migrationBuilder.Sql("""
            CREATE FUNCTION archive_prefix_tsquery(term text) RETURNS tsquery
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            AS $$
                SELECT CASE WHEN numnode(words) = 0 THEN words ELSE (words::text || ':*')::tsquery END
                FROM phraseto_tsquery('archive_search', archive_search_words(term)) AS words
            $$;
            """);

        migrationBuilder.CreateTable(
            name: "conversations",
            columns: table => new
            {
                id = table.Column<string>(type: "text", nullable: false),
                page_id = table.Column<string>(type: "text", nullable: false),
                platform = table.Column<string>(type: "text", nullable: false),
                updated_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                first_seen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                last_seen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_conversations", x => x.id);
            });

        migrationBuilder.CreateTable(
            name: "data_deletion_requests",
            columns: table => new
            {
                confirmation_code = table.Column<string>(type: "text", nullable: false),
                user_id = table.Column<string>(type: "text", nullable: false),
                requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                messages_deleted = table.Column<int>(type: "integer", nullable: false),
                participants_removed = table.Column<int>(type: "integer", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_data_deletion_requests", x => x.confirmation_code);
            });

        migrationBuilder.CreateTable(
            name: "inbox_sync_checkpoints",
            columns: table => new
            {
                page_id = table.Column<string>(type: "text", nullable: false),
                platform = table.Column<string>(type: "text", nullable: false),
                state = table.Column<string>(type: "text", nullable: false),
                listing_cursor = table.Column<string>(type: "text", nullable: true),
                conversations_listed = table.Column<int>(type: "integer", nullable: false),
                conversations_synced = table.Column<int>(type: "integer", nullable: false),
                conversations_unchanged = table.Column<int>(type: "integer", nullable: false),
                messages_archived = table.Column<long>(type: "bigint", nullable: false),
                calls_used = table.Column<long>(type: "bigint", nullable: false),
                started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                last_error = table.Column<string>(type: "text", nullable: true),
                lease_owner = table.Column<string>(type: "text", nullable: true),
                lease_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_inbox_sync_checkpoints", x => new { x.page_id, x.platform });
            });

        migrationBuilder.CreateTable(
            name: "inbox_sync_conversations",
            columns: table => new
            {
                page_id = table.Column<string>(type: "text", nullable: false),
                platform = table.Column<string>(type: "text", nullable: false),
                conversation_id = table.Column<string>(type: "text", nullable: false),
                updated_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_inbox_sync_conversations", x => new { x.page_id, x.platform, x.conversation_id });
            });

        migrationBuilder.CreateTable(
            name: "messages",
            columns: table => new
            {
                seq = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                id = table.Column<string>(type: "text", nullable: false),
                conversation_id = table.Column<string>(type: "text", nullable: false),
                page_id = table.Column<string>(type: "text", nullable: false),
                platform = table.Column<string>(type: "text", nullable: false),
                created_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                from_id = table.Column<string>(type: "text", nullable: true),
                from_name = table.Column<string>(type: "text", nullable: true),
                from_username = table.Column<string>(type: "text", nullable: true),
                recipients = table.Column<string>(type: "jsonb", nullable: true),
                text = table.Column<string>(type: "text", nullable: true),
                attachments = table.Column<string>(type: "jsonb", nullable: true),
                shares = table.Column<string>(type: "jsonb", nullable: true),
                story = table.Column<string>(type: "jsonb", nullable: true),
                reply_to = table.Column<string>(type: "jsonb", nullable: true),
                reactions = table.Column<string>(type: "jsonb", nullable: true),
                tags = table.Column<string>(type: "jsonb", nullable: true),
                sticker = table.Column<string>(type: "text", nullable: true),
                deleted = table.Column<bool>(type: "boolean", nullable: false),
                sources = table.Column<int>(type: "integer", nullable: false),
                first_seen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                last_seen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                search_vector = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: true, computedColumnSql: "to_tsvector('archive_search'::regconfig, archive_search_words(text))", stored: true)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_messages", x => x.seq);
                table.UniqueConstraint("AK_messages_id", x => x.id);
            });

        migrationBuilder.CreateTable(
            name: "conversation_participants",
            columns: table => new
            {
                conversation_id = table.Column<string>(type: "text", nullable: false),
                person_id = table.Column<string>(type: "text", nullable: false),
                name = table.Column<string>(type: "text", nullable: true),
                username = table.Column<string>(type: "text", nullable: true)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_conversation_participants", x => new { x.conversation_id, x.person_id });
                table.ForeignKey(
                    name: "FK_conversation_participants_conversations_conversation_id",
                    column: x => x.conversation_id,
                    principalTable: "conversations",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(
            name: "IX_conversation_participants_person_id",
            table: "conversation_participants",
            column: "person_id");

        migrationBuilder.CreateIndex(
            name: "IX_conversations_page_id_platform",
            table: "conversations",
            columns: new[] { "page_id", "platform" });

        migrationBuilder.CreateIndex(
            name: "IX_conversations_updated_time",
            table: "conversations",
            column: "updated_time");

        migrationBuilder.CreateIndex(
            name: "IX_messages_conversation_id_created_time_id",
            table: "messages",
            columns: new[] { "conversation_id", "created_time", "id" });

        migrationBuilder.CreateIndex(
            name: "IX_messages_created_time",
            table: "messages",
            column: "created_time");

        migrationBuilder.CreateIndex(
            name: "IX_messages_from_id",
            table: "messages",
            column: "from_id");

        migrationBuilder.CreateIndex(
            name: "IX_messages_search_vector",
            table: "messages",
            column: "search_vector")
            .Annotation("Npgsql:IndexMethod", "gin");
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(
            name: "conversation_participants");

        migrationBuilder.DropTable(
            name: "data_deletion_requests");

        migrationBuilder.DropTable(
            name: "inbox_sync_checkpoints");

        migrationBuilder.DropTable(
            name: "inbox_sync_conversations");

        migrationBuilder.DropTable(
            name: "messages");

        migrationBuilder.DropTable(
            name: "conversations");

        migrationBuilder.Sql("DROP FUNCTION archive_prefix_tsquery(text);");
        migrationBuilder.Sql("DROP FUNCTION archive_search_words(text);");
        migrationBuilder.Sql("DROP TEXT SEARCH CONFIGURATION archive_search;");
    }
}
