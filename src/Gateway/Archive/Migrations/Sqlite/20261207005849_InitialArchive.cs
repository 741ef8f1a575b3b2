using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Archive.Migrations.Sqlite;

/// <inheritdoc />
public partial class InitialArchive : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "conversations",
            columns: table => new
            {
                id = table.Column<string>(type: "TEXT", nullable: false),
                page_id = table.Column<string>(type: "TEXT", nullable: false),
                platform = table.Column<string>(type: "TEXT", nullable: false),
                updated_time = table.Column<long>(type: "INTEGER", nullable: true),
                first_seen = table.Column<long>(type: "INTEGER", nullable: false),
                last_seen = table.Column<long>(type: "INTEGER", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_conversations", x => x.id);
            });

        migrationBuilder.CreateTable(
            name: "data_deletion_requests",
            columns: table => new
            {
                confirmation_code = table.Column<string>(type: "TEXT", nullable: false),
                user_id = table.Column<string>(type: "TEXT", nullable: false),
                requested_at = table.Column<long>(type: "INTEGER", nullable: false),
                completed_at = table.Column<long>(type: "INTEGER", nullable: true),
                messages_deleted = table.Column<int>(type: "INTEGER", nullable: false),
                participants_removed = table.Column<int>(type: "INTEGER", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_data_deletion_requests", x => x.confirmation_code);
            });

        migrationBuilder.CreateTable(
            name: "inbox_sync_checkpoints",
            columns: table => new
            {
                page_id = table.Column<string>(type: "TEXT", nullable: false),
                platform = table.Column<string>(type: "TEXT", nullable: false),
                state = table.Column<string>(type: "TEXT", nullable: false),
                listing_cursor = table.Column<string>(type: "TEXT", nullable: true),
                conversations_listed = table.Column<int>(type: "INTEGER", nullable: false),
                conversations_synced = table.Column<int>(type: "INTEGER", nullable: false),
                conversations_unchanged = table.Column<int>(type: "INTEGER", nullable: false),
                messages_archived = table.Column<long>(type: "INTEGER", nullable: false),
                calls_used = table.Column<long>(type: "INTEGER", nullable: false),
                started_at = table.Column<long>(type: "INTEGER", nullable: true),
                finished_at = table.Column<long>(type: "INTEGER", nullable: true),
                last_error = table.Column<string>(type: "TEXT", nullable: true),
                lease_owner = table.Column<string>(type: "TEXT", nullable: true),
                lease_expires_at = table.Column<long>(type: "INTEGER", nullable: true)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_inbox_sync_checkpoints", x => new { x.page_id, x.platform });
            });

        migrationBuilder.CreateTable(
            name: "inbox_sync_conversations",
            columns: table => new
            {
                page_id = table.Column<string>(type: "TEXT", nullable: false),
                platform = table.Column<string>(type: "TEXT", nullable: false),
                conversation_id = table.Column<string>(type: "TEXT", nullable: false),
                updated_time = table.Column<long>(type: "INTEGER", nullable: false),
                synced_at = table.Column<long>(type: "INTEGER", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_inbox_sync_conversations", x => new { x.page_id, x.platform, x.conversation_id });
            });

        migrationBuilder.CreateTable(
            name: "messages",
            columns: table => new
            {
                seq = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                id = table.Column<string>(type: "TEXT", nullable: false),
                conversation_id = table.Column<string>(type: "TEXT", nullable: false),
                page_id = table.Column<string>(type: "TEXT", nullable: false),
                platform = table.Column<string>(type: "TEXT", nullable: false),
                created_time = table.Column<long>(type: "INTEGER", nullable: false),
                from_id = table.Column<string>(type: "TEXT", nullable: true),
                from_name = table.Column<string>(type: "TEXT", nullable: true),
                from_username = table.Column<string>(type: "TEXT", nullable: true),
                recipients = table.Column<string>(type: "TEXT", nullable: true),
                text = table.Column<string>(type: "TEXT", nullable: true),
                attachments = table.Column<string>(type: "TEXT", nullable: true),
                shares = table.Column<string>(type: "TEXT", nullable: true),
                story = table.Column<string>(type: "TEXT", nullable: true),
                reply_to = table.Column<string>(type: "TEXT", nullable: true),
                reactions = table.Column<string>(type: "TEXT", nullable: true),
                tags = table.Column<string>(type: "TEXT", nullable: true),
                sticker = table.Column<string>(type: "TEXT", nullable: true),
                deleted = table.Column<bool>(type: "INTEGER", nullable: false),
                sources = table.Column<int>(type: "INTEGER", nullable: false),
                first_seen = table.Column<long>(type: "INTEGER", nullable: false),
                last_seen = table.Column<long>(type: "INTEGER", nullable: false)
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
                conversation_id = table.Column<string>(type: "TEXT", nullable: false),
                person_id = table.Column<string>(type: "TEXT", nullable: false),
                name = table.Column<string>(type: "TEXT", nullable: true),
                username = table.Column<string>(type: "TEXT", nullable: true)
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

        // Full-text search: an FTS5 index with external content (the text is stored once, in messages) keyed by
        // messages.seq, kept in step by triggers on every insert, text change and delete, so an unsent (text erased) or
        // purged message leaves the index in the same statement. unicode61 with remove_diacritics 2 folds case and
        // accents: Zoë and zoe are one word.
        migrationBuilder.Sql("""
            CREATE VIRTUAL TABLE message_search USING fts5(
                text, content = 'messages', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2');
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER message_search_insert AFTER INSERT ON messages WHEN new.text IS NOT NULL BEGIN
                INSERT INTO message_search (rowid, text) VALUES (new.seq, new.text);
            END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER message_search_delete AFTER DELETE ON messages WHEN old.text IS NOT NULL BEGIN
                INSERT INTO message_search (message_search, rowid, text) VALUES ('delete', old.seq, old.text);
            END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER message_search_update AFTER UPDATE OF text ON messages WHEN old.text IS NOT new.text BEGIN
                INSERT INTO message_search (message_search, rowid, text) SELECT 'delete', old.seq, old.text WHERE old.text IS NOT NULL;
                INSERT INTO message_search (rowid, text) SELECT new.seq, new.text WHERE new.text IS NOT NULL;
            END;
            """);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DROP TABLE message_search;");

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
    }
}
