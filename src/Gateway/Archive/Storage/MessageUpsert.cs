using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gateway.Archive.Storage;

/// <summary>
/// The statement that writes messages, whatever their source: <c>INSERT … ON CONFLICT (id) DO UPDATE</c>, merging
/// column by column so that a replay changes nothing, a fuller source fills what a thinner one lacked without erasing
/// anything, and an unsent message stays unsent with its content gone. The merge is the same on both databases; only
/// how the rows are read from their parameter differs.
/// </summary>
internal static class MessageUpsert
{
    private enum Merge
    {
        /// <summary>Written once (identity, place in the thread, first sighting).</summary>
        Kept,
        /// <summary>The newest known value; a source that does not know it (null) keeps the stored one.</summary>
        Filled,
        /// <summary>Like <see cref="Filled"/>, but null for ever once the message is deleted.</summary>
        Content,
        /// <summary>Once true, true.</summary>
        Deleted,
        /// <summary>The union of the sources' flags.</summary>
        Sources,
        /// <summary>The latest write's value.</summary>
        Latest,
    }

    /// <param name="PostgresType">Its type in PostgreSQL's <c>jsonb_to_recordset</c> row definition (SQLite's JSON
    /// functions need none).</param>
    private sealed record Column(string Name, Merge Merge, Func<MessageRow, ArchiveDialect, object?> Value, string PostgresType = "text")
    {
        public bool Json => PostgresType == "jsonb";
    }

    private static readonly Column[] Columns =
    [
        new("id", Merge.Kept, (row, _) => row.Id),
        new("conversation_id", Merge.Kept, (row, _) => row.ConversationId),
        new("page_id", Merge.Kept, (row, _) => row.PageId),
        new("platform", Merge.Kept, (row, _) => ArchiveColumns.Platform(row.Platform)),
        new("created_time", Merge.Kept, (row, dialect) => dialect.Time(row.CreatedTime), "timestamptz"),
        new("from_id", Merge.Filled, (row, _) => row.FromId),
        new("from_name", Merge.Filled, (row, _) => row.FromName),
        new("from_username", Merge.Filled, (row, _) => row.FromUsername),
        new("recipients", Merge.Filled, (row, _) => row.Recipients, "jsonb"),
        new("text", Merge.Content, (row, _) => row.Text),
        new("attachments", Merge.Content, (row, _) => row.Attachments, "jsonb"),
        new("shares", Merge.Content, (row, _) => row.Shares, "jsonb"),
        new("story", Merge.Content, (row, _) => row.Story, "jsonb"),
        new("reply_to", Merge.Filled, (row, _) => row.ReplyTo, "jsonb"),
        new("reactions", Merge.Filled, (row, _) => row.Reactions, "jsonb"),
        new("tags", Merge.Filled, (row, _) => row.Tags, "jsonb"),
        new("sticker", Merge.Content, (row, _) => row.Sticker),
        new("deleted", Merge.Deleted, (row, _) => row.Deleted, "boolean"),
        new("sources", Merge.Sources, (row, _) => (int)row.Sources, "integer"),
        new("first_seen", Merge.Kept, (row, dialect) => dialect.Time(row.FirstSeen), "timestamptz"),
        new("last_seen", Merge.Latest, (row, dialect) => dialect.Time(row.LastSeen), "timestamptz"),
    ];

    private static readonly string ColumnList = string.Join(", ", Columns.Select(column => column.Name));

    /// <summary>
    /// Many rows from one parameter holding them as a JSON array: one statement, planned once, per batch. PostgreSQL reads
    /// the array with <c>jsonb_to_recordset</c>, SQLite with <c>json_each</c> (its <c>WHERE true</c> is SQLite's rule for
    /// an upsert from a SELECT). A statement may touch a row only once on PostgreSQL, so a batch's rows must have distinct
    /// ids (<see cref="Rounds"/>).
    /// </summary>
    public static string Sql(ArchiveProvider provider) => Upsert(provider == ArchiveProvider.PostgreSql
        ? $"""
          SELECT {ColumnList} FROM jsonb_to_recordset(CAST(@rows AS jsonb))
              AS row({string.Join(", ", Columns.Select(column => $"{column.Name} {column.PostgresType}"))})
          """
        : $"""
          SELECT {string.Join(", ", Columns.Select(column => $"json_extract(value, '$.{column.Name}')"))}
          FROM json_each(@rows) WHERE true
          """);

    /// <summary>The rows as the JSON array <see cref="Sql"/> reads; JSON columns are nested as JSON.</summary>
    public static string RowsJson(IEnumerable<MessageRow> rows, ArchiveDialect dialect)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                foreach (var column in Columns)
                {
                    json.WritePropertyName(column.Name);
                    WriteValue(json, column, column.Value(row, dialect));
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The rows in rounds of distinct ids: a message given twice in one call is written in two rounds, in the
    /// order given. Each round keeps the rows' order.</summary>
    public static IEnumerable<IEnumerable<MessageRow>> Rounds(IEnumerable<MessageRow> rows)
        => rows.GroupBy(row => row.Id)
            .SelectMany(copies => copies.Select((row, occurrence) => (Row: row, Occurrence: occurrence)))
            .GroupBy(copy => copy.Occurrence, copy => copy.Row)
            .OrderBy(round => round.Key);

    private static string Upsert(string rows) => $"""
        INSERT INTO messages ({ColumnList})
        {rows}
        ON CONFLICT (id) DO UPDATE SET {string.Join(", ", Columns.Where(column => column.Merge != Merge.Kept)
            .Select(column => $"{column.Name} = {Merged(column)}"))}
        """;

    private static string Merged(Column column) => column.Merge switch
    {
        Merge.Filled => $"COALESCE(excluded.{column.Name}, messages.{column.Name})",
        Merge.Content => $"CASE WHEN messages.deleted OR excluded.deleted THEN NULL ELSE COALESCE(excluded.{column.Name}, messages.{column.Name}) END",
        Merge.Deleted => "messages.deleted OR excluded.deleted",
        Merge.Sources => "messages.sources | excluded.sources",
        _ => $"excluded.{column.Name}",
    };

    private static void WriteValue(Utf8JsonWriter json, Column column, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text when column.Json:
                json.WriteRawValue(text, skipInputValidation: true);
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int or long:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset time:
                json.WriteStringValue(time);
                break;
            default:
                throw new InvalidOperationException($"{column.Name} has no JSON form for a {value.GetType().Name}.");
        }
    }
}
