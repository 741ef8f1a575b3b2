using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Archive.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PageInSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The index gets the message's Page as a second column, so a search names its Page in MATCH and FTS5 walks
            // only that Page's matches instead of every Page's. The table is made again and filled from messages (only
            // rows with text, as the insert trigger does), and the triggers carry page_id, which FTS5's external-content
            // 'delete' needs as indexed.
            DropSearchIndex(migrationBuilder);
            CreateSearchIndex(migrationBuilder, "text, page_id", "new.seq, new.text, new.page_id", "old.seq, old.text, old.page_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            DropSearchIndex(migrationBuilder);
            CreateSearchIndex(migrationBuilder, "text", "new.seq, new.text", "old.seq, old.text");
        }

        private static void DropSearchIndex(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER message_search_insert;");
            migrationBuilder.Sql("DROP TRIGGER message_search_delete;");
            migrationBuilder.Sql("DROP TRIGGER message_search_update;");
            migrationBuilder.Sql("DROP TABLE message_search;");
        }

        private static void CreateSearchIndex(MigrationBuilder migrationBuilder, string columns, string newValues, string oldValues)
        {
            migrationBuilder.Sql($"""
                CREATE VIRTUAL TABLE message_search USING fts5(
                    {columns}, content = 'messages', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2');
                """);
            var values = newValues.Replace("new.", "");
            migrationBuilder.Sql($"INSERT INTO message_search (rowid, {columns}) SELECT {values} FROM messages WHERE text IS NOT NULL;");
            migrationBuilder.Sql($"""
                CREATE TRIGGER message_search_insert AFTER INSERT ON messages WHEN new.text IS NOT NULL BEGIN
                    INSERT INTO message_search (rowid, {columns}) VALUES ({newValues});
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER message_search_delete AFTER DELETE ON messages WHEN old.text IS NOT NULL BEGIN
                    INSERT INTO message_search (message_search, rowid, {columns}) VALUES ('delete', {oldValues});
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER message_search_update AFTER UPDATE OF text ON messages WHEN old.text IS NOT new.text BEGIN
                    INSERT INTO message_search (message_search, rowid, {columns}) SELECT 'delete', {oldValues} WHERE old.text IS NOT NULL;
                    INSERT INTO message_search (rowid, {columns}) SELECT {newValues} WHERE new.text IS NOT NULL;
                END;
                """);
        }
    }
}
