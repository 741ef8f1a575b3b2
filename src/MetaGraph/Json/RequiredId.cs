using System.Text.Json;

namespace MetaGraph.Json;

/// <summary>An object Graph sent without its id is unreadable, as a missing <c>[JsonRequired]</c> member would be.</summary>
internal static class RequiredId
{
    public static void Check(string? id, string objectName)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new JsonException($"A {objectName} without an id.");
        }
    }
}
