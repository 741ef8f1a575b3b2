using System.Data.Common;
using System.Text.Json;
using Gateway.Archive.Storage;

namespace Gateway.Archive.Search;

/// <summary>
/// FTS5 over <c>message_search</c> (external content: the text stays in <c>messages</c> only; tokenizer
/// <c>unicode61 remove_diacritics 2</c>; columns <c>text</c> and <c>page_id</c>). When the words' matches are mostly other
/// Pages' (<see cref="MostlyOtherPagesAsync"/>), MATCH names the Pages too, so FTS5 walks only theirs; otherwise the join
/// sorts them out cheaper, as naming a Page costs <c>bm25</c> a pass over all of its entries. The exact <c>page_id</c> test
/// after the join is the guarantee either way. Relevance is <c>-bm25()</c> of the text column (the Page column weighs
/// nothing, so both forms score a message alike and a cursor holds across them), higher is better as on PostgreSQL.
/// Snippets are cut in a second query for the page's hits only: in the first, SQLite would cut one for every match before
/// sorting.
/// </summary>
internal sealed class SqliteMessageSearch : MessageSearchSql
{
    private const string Score = "-bm25(message_search, 1.0, 0.0)";

    public override async Task<IReadOnlyList<SearchHitRow>> FindAsync(DbConnection connection, IReadOnlyList<SearchTerm> terms,
        MessageSearchRequest request, ArchiveCursor? after, int limit, CancellationToken cancellationToken)
    {
        var words = SearchQuery.ToFts5(terms);
        var match = await MostlyOtherPagesAsync(connection, words, request.PageIds, cancellationToken)
            ? SearchQuery.ToFts5(terms, request.PageIds)
            : words;
        var hits = new List<(long Seq, SearchHitRow Hit)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"""
                SELECT m.id, m.conversation_id, m.page_id, m.platform, m.created_time, {Score} AS score, m.seq
                FROM message_search JOIN messages m ON m.seq = message_search.rowid
                WHERE message_search MATCH @match AND m.page_id IN (SELECT value FROM json_each(@pages))
                  AND {Filters(SqliteDialect.Instance, request, after, Score, command)}
                ORDER BY score DESC, m.created_time DESC, m.id DESC
                LIMIT @limit
                """;
            Add(command, "@match", match);
            Add(command, "@pages", JsonSerializer.Serialize(request.PageIds, ArchiveJson.Default.IReadOnlyCollectionString));
            Add(command, "@limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                hits.Add((reader.GetInt64(6), ReadHit(reader, SqliteDialect.Instance, "")));
            }
        }
        var snippets = await SnippetsAsync(connection, match, [.. hits.Select(hit => hit.Seq)], cancellationToken);
        return [.. hits.Select(hit => hit.Hit with { Snippet = snippets.GetValueOrDefault(hit.Seq, "") })];
    }

    /// <summary>Matches looked at to tell whether naming the Pages in MATCH pays.</summary>
    private const int Sample = 200;

    /// <summary>
    /// Whether most of the words' newest <see cref="Sample"/> matches belong to other Pages: then naming the Pages in MATCH
    /// saves ranking and joining every other Page's matches. With fewer matches than that, or mostly the caller's, the join
    /// costs less than <c>bm25</c>'s pass over the Page's entries (a rare word on a one-Page archive: 25 ms instead of 1).
    /// </summary>
    private static async Task<bool> MostlyOtherPagesAsync(DbConnection connection, string words, IReadOnlyCollection<string> pageIds,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(*), coalesce(sum(m.page_id IN (SELECT value FROM json_each(@pages))), 0)
            FROM (SELECT rowid FROM message_search WHERE message_search MATCH @match ORDER BY rowid DESC LIMIT @sample) AS newest
            JOIN messages m ON m.seq = newest.rowid
            """;
        Add(command, "@match", words);
        Add(command, "@pages", JsonSerializer.Serialize(pageIds, ArchiveJson.Default.IReadOnlyCollectionString));
        Add(command, "@sample", Sample);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (sampled, ofThesePages) = (reader.GetInt64(0), reader.GetInt64(1));
        return sampled == Sample && ofThesePages * 2 < sampled;
    }

    private static async Task<Dictionary<long, string>> SnippetsAsync(DbConnection connection, string match, long[] seqs,
        CancellationToken cancellationToken)
    {
        var snippets = new Dictionary<long, string>();
        if (seqs.Length == 0)
        {
            return snippets;
        }
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT rowid, snippet(message_search, 0, '{HighlightStart}', '{HighlightEnd}', '…', 16)
            FROM message_search
            WHERE message_search MATCH @match AND rowid IN (SELECT value FROM json_each(@seqs))
            """;
        Add(command, "@match", match);
        Add(command, "@seqs", JsonSerializer.Serialize(seqs, ArchiveJson.Default.Int64Array));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            snippets[reader.GetInt64(0)] = reader.GetString(1);
        }
        return snippets;
    }
}
