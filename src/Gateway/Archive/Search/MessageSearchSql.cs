using System.Data.Common;
using Gateway.Archive.Storage;
using MetaGraph;

namespace Gateway.Archive.Search;

/// <summary>One hit as the database ranks it; <see cref="Score"/> is higher for more relevant.</summary>
internal sealed record SearchHitRow(string MessageId, string ConversationId, string PageId, Platform Platform,
    DateTimeOffset CreatedTime, double Score, string Snippet);

/// <summary>
/// A full-text search over the Pages a caller may read, in one database's dialect. Every value the caller gave (terms,
/// Pages, platform, times, cursor) is a parameter; the SQL text only ever holds what this class wrote.
/// </summary>
internal abstract class MessageSearchSql
{
    /// <summary>Around each matched word in a snippet: plain text markers, for a client to render (and HTML-escape).</summary>
    public const string HighlightStart = "«";
    public const string HighlightEnd = "»";

    public abstract Task<IReadOnlyList<SearchHitRow>> FindAsync(DbConnection connection, IReadOnlyList<SearchTerm> terms,
        MessageSearchRequest request, ArchiveCursor? after, int limit, CancellationToken cancellationToken);

    /// <summary>The conditions both databases share, given the SQL of the hit's score for the keyset.</summary>
    protected static string Filters(ArchiveDialect dialect, MessageSearchRequest request, ArchiveCursor? after, string score,
        DbCommand command)
    {
        var conditions = new List<string> { "NOT m.deleted" };
        if (request.Platform is { } platform)
        {
            conditions.Add("m.platform = @platform");
            Add(command, "@platform", ArchiveColumns.Platform(platform));
        }
        if (request.Since is { } since)
        {
            conditions.Add("m.created_time >= @since");
            Add(command, "@since", dialect.Time(since));
        }
        if (request.Until is { } until)
        {
            conditions.Add("m.created_time < @until");
            Add(command, "@until", dialect.Time(until));
        }
        if (after is not null)
        {
            conditions.Add($"({score}, m.created_time, m.id) < (@after_score, @after_time, @after_id)");
            Add(command, "@after_score", after.Score);
            Add(command, "@after_time", dialect.Time(after.CreatedTime));
            Add(command, "@after_id", after.MessageId);
        }
        return string.Join(" AND ", conditions);
    }

    protected static void Add(DbCommand command, string name, object? value)
        => command.Parameters.Add(SqlRows.Parameter(command.CreateParameter(), name, value));

    protected static SearchHitRow ReadHit(DbDataReader reader, ArchiveDialect dialect, string snippet) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), ArchiveColumns.ParsePlatform(reader.GetString(3)),
        dialect.ReadTime(reader, 4), reader.GetDouble(5), snippet);
}
