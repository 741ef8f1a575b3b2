namespace Gateway.Archive.Storage;

/// <summary>
/// The one statement that writes a message, whatever its source: <c>INSERT … ON CONFLICT (id) DO UPDATE</c>, merging
/// column by column so that a replay changes nothing, a fuller source fills what a thinner one lacked without erasing
/// anything, and an unsent message stays unsent with its content gone.
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

    private sealed record Column(string Name, Merge Merge, Func<MessageRow, ArchiveDialect, object?> Value, bool Json = false);

    private static readonly Column[] Columns =
    [
        new("id", Merge.Kept, (row, _) => row.Id),
        new("conversation_id", Merge.Kept, (row, _) => row.ConversationId),
        new("page_id", Merge.Kept, (row, _) => row.PageId),
        new("platform", Merge.Kept, (row, _) => ArchiveColumns.Platform(row.Platform)),
        new("created_time", Merge.Kept, (row, dialect) => dialect.Time(row.CreatedTime)),
        new("from_id", Merge.Filled, (row, _) => row.FromId),
        new("from_name", Merge.Filled, (row, _) => row.FromName),
        new("from_username", Merge.Filled, (row, _) => row.FromUsername),
        new("recipients", Merge.Filled, (row, _) => row.Recipients, Json: true),
        new("text", Merge.Content, (row, _) => row.Text),
        new("attachments", Merge.Content, (row, _) => row.Attachments, Json: true),
        new("shares", Merge.Content, (row, _) => row.Shares, Json: true),
        new("story", Merge.Content, (row, _) => row.Story, Json: true),
        new("reply_to", Merge.Filled, (row, _) => row.ReplyTo, Json: true),
        new("reactions", Merge.Filled, (row, _) => row.Reactions, Json: true),
        new("tags", Merge.Filled, (row, _) => row.Tags, Json: true),
        new("sticker", Merge.Content, (row, _) => row.Sticker),
        new("deleted", Merge.Deleted, (row, _) => row.Deleted),
        new("sources", Merge.Sources, (row, _) => (int)row.Sources),
        new("first_seen", Merge.Kept, (row, dialect) => dialect.Time(row.FirstSeen)),
        new("last_seen", Merge.Latest, (row, dialect) => dialect.Time(row.LastSeen)),
    ];

    public static readonly IReadOnlyList<string> Parameters = [.. Columns.Select(column => "@" + column.Name)];

    public static string Sql(ArchiveDialect dialect)
    {
        var values = Columns.Select(column => column.Json ? dialect.JsonValue("@" + column.Name) : "@" + column.Name);
        var updates = Columns.Where(column => column.Merge != Merge.Kept).Select(column => $"{column.Name} = {Merged(column)}");
        return $"""
            INSERT INTO messages ({string.Join(", ", Columns.Select(column => column.Name))})
            VALUES ({string.Join(", ", values)})
            ON CONFLICT (id) DO UPDATE SET {string.Join(", ", updates)}
            """;
    }

    public static object?[] Values(MessageRow row, ArchiveDialect dialect) => [.. Columns.Select(column => column.Value(row, dialect))];

    private static string Merged(Column column) => column.Merge switch
    {
        Merge.Filled => $"COALESCE(excluded.{column.Name}, messages.{column.Name})",
        Merge.Content => $"CASE WHEN messages.deleted OR excluded.deleted THEN NULL ELSE COALESCE(excluded.{column.Name}, messages.{column.Name}) END",
        Merge.Deleted => "messages.deleted OR excluded.deleted",
        Merge.Sources => "messages.sources | excluded.sources",
        _ => $"excluded.{column.Name}",
    };
}
