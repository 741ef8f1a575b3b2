using System.Text.Json;
using MetaGraph.Json;

namespace MetaGraph;

/// <summary>Reads Graph API JSON that arrived inside another payload, such as a batch item's body, with the
/// client's source-generated metadata (Graph timestamps, paging URLs without credentials).</summary>
public static class GraphJson
{
    public static T Deserialize<T>(JsonElement element)
        => element.Deserialize(MetaGraphJsonContext.TypeInfo<T>())
           ?? throw new JsonException($"Graph returned null for a {typeof(T).Name}.");
}
