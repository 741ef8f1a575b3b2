using MetaGraph;

namespace Gateway.Archive.Storage;

/// <summary>How enum values are spelled in the tables: Meta's own words (<c>messenger</c>, <c>instagram</c>), readable in
/// SQL and the same in EF's mapping and the raw SQL.</summary>
internal static class ArchiveColumns
{
    public static string Platform(Platform platform) => platform == MetaGraph.Platform.Instagram ? "instagram" : "messenger";

    public static Platform ParsePlatform(string text) => text == "instagram" ? MetaGraph.Platform.Instagram : MetaGraph.Platform.Messenger;

    public static string SyncState(InboxSyncState state) => state.ToString().ToLowerInvariant();

    public static InboxSyncState ParseSyncState(string text) => Enum.Parse<InboxSyncState>(text, ignoreCase: true);
}
