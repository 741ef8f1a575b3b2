using System.Text.Json;
using MetaGraph.Emulator.Graph;

namespace MetaGraph.Emulator.Paging;

/// <summary>Writes <c>"paging":{"cursors":{"before","after"},"previous","next"}</c>. Like Meta, the links are absolute
/// and carry the caller's parameters, access token included.</summary>
internal static class PagingBlock
{
    public static void Write(Utf8JsonWriter writer, PageWindow window, EdgeLink link)
    {
        if (window.IsEmpty)
        {
            return;
        }
        var before = window.BeforeCursor;
        var after = window.AfterCursor;
        writer.WriteStartObject("paging");
        writer.WriteStartObject("cursors");
        writer.WriteString("before", before);
        writer.WriteString("after", after);
        writer.WriteEndObject();
        if (window.HasPrevious)
        {
            writer.WriteString("previous", link.Url(window.Limit, "before", before));
        }
        if (window.HasNext)
        {
            writer.WriteString("next", link.Url(window.Limit, "after", after));
        }
        writer.WriteEndObject();
    }
}
