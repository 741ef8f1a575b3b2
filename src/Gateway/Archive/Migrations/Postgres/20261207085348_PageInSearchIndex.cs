using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Archive.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PageInSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The text index also keyed by Page (btree_gin, a contrib extension a database owner may create): a search
            // intersects its Page's entries with the words' inside the index instead of fetching every Page's matches.
            migrationBuilder.DropIndex(
                name: "IX_messages_search_vector",
                table: "messages");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:btree_gin", ",,")
                .Annotation("Npgsql:PostgresExtension:unaccent", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:unaccent", ",,");

            migrationBuilder.CreateIndex(
                name: "IX_messages_page_id_search_vector",
                table: "messages",
                columns: new[] { "page_id", "search_vector" })
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_messages_page_id_search_vector",
                table: "messages");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:unaccent", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:btree_gin", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:unaccent", ",,");

            migrationBuilder.CreateIndex(
                name: "IX_messages_search_vector",
                table: "messages",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "gin");
        }
    }
}
