using System.Data.Common;
using Gateway.Archive.Storage;

namespace Gateway.Archive.Search;

/// <summary>
/// <c>tsvector</c> search over <c>messages.search_vector</c> (GIN-indexed). The <c>tsquery</c> is built from one parameter
/// per term with PostgreSQL's own functions, never by pasting text: <c>phraseto_tsquery</c> reads a term as plain words
/// whatever it holds, and the migration's <c>archive_prefix_tsquery</c> does the same, then marks the last word a prefix.
/// Snippets come from <c>ts_headline</c>, run on the page's hits only.
/// </summary>
internal sealed class PostgresMessageSearch : MessageSearchSql
{
    private const string Score = "ts_rank(m.search_vector, search.query)::float8";

    public override async Task<IReadOnlyList<SearchHitRow>> FindAsync(DbConnection connection, IReadOnlyList<SearchTerm> terms,
        MessageSearchRequest request, ArchiveCursor? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        var configuration = PostgresArchiveContext.SearchConfiguration;
        command.CommandText = $"""
            WITH search AS (SELECT {TsQuery(terms, command)} AS query),
            hits AS (
                SELECT m.id, m.conversation_id, m.page_id, m.platform, m.created_time, {Score} AS score, m.text
                FROM messages m, search
                WHERE m.search_vector @@ search.query AND m.page_id = ANY(@pages)
                  AND {Filters(PostgresDialect.Instance, request, after, Score, command)}
                ORDER BY score DESC, m.created_time DESC, m.id DESC
                LIMIT @limit)
            SELECT hits.id, hits.conversation_id, hits.page_id, hits.platform, hits.created_time, hits.score,
                   ts_headline('{configuration}', hits.text, search.query,
                               'StartSel={HighlightStart}, StopSel={HighlightEnd}, MaxWords=16, MinWords=6')
            FROM hits, search
            ORDER BY hits.score DESC, hits.created_time DESC, hits.id DESC
            """;
        Add(command, "@pages", request.PageIds.ToArray());
        Add(command, "@limit", limit);
        var hits = new List<SearchHitRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(ReadHit(reader, PostgresDialect.Instance, reader.GetString(6)));
        }
        return hits;
    }

    /// <summary>The terms ANDed: <c>phraseto_tsquery('archive_search', archive_search_words(@term0)) &amp;&amp;
    /// archive_prefix_tsquery(@term1)…</c>.</summary>
    private static string TsQuery(IReadOnlyList<SearchTerm> terms, DbCommand command)
    {
        var parts = new List<string>();
        for (var index = 0; index < terms.Count; index++)
        {
            var parameter = $"@term{index}";
            Add(command, parameter, terms[index].Text);
            parts.Add(terms[index].IsPrefix
                ? $"archive_prefix_tsquery({parameter})"
                : $"phraseto_tsquery('{PostgresArchiveContext.SearchConfiguration}', archive_search_words({parameter}))");
        }
        return string.Join(" && ", parts);
    }
}
