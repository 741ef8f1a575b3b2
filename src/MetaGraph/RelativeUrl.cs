using System.Text;

namespace MetaGraph;

/// <summary>Graph API paths with their query strings, shared by direct calls and batch items
/// (batch <c>relative_url</c>s carry no version and no token). Ids are checked by shape (<see cref="GraphIds"/>) before
/// they become a path segment or an <c>ids=</c> item, whoever called.</summary>
public static class RelativeUrl
{
    public static string Conversations(string pageId, ConversationsQuery query) => Build($"{Segment(pageId, nameof(pageId))}/conversations",
        ("platform", query.Platform == Platform.Instagram ? "instagram" : "messenger"),
        ("user_id", query.UserId is null ? null : GraphIds.Require(query.UserId, nameof(query.UserId))), ("folder", query.Folder), ("limit", query.Limit?.ToString()),
        ("after", query.After), ("before", query.Before), ("fields", query.Fields?.ToString()));

    public static string Edge(string nodeId, string edge, PageQuery query) => Build($"{Segment(nodeId, nameof(nodeId))}/{edge}",
        ("limit", query.Limit?.ToString()), ("after", query.After), ("before", query.Before), ("fields", query.Fields?.ToString()));

    public static string Node(string id, FieldList? fields) => Build(Segment(id, nameof(id)), ("fields", fields?.ToString()));

    /// <summary>The ID Matching API's Pages of an app-scoped person.</summary>
    public static string IdsForPages(string appScopedUserId) => $"{Segment(appScopedUserId, nameof(appScopedUserId))}/ids_for_pages";

    /// <summary>The Send API's edge of a Page.</summary>
    public static string Messages(string pageId) => $"{Segment(pageId, nameof(pageId))}/messages";

    /// <summary>A multi-id read, <c>?ids=a,b,c&amp;fields=...</c>, relative to the versioned root.</summary>
    public static string Ids(IEnumerable<string> ids, FieldList? fields)
        => Build("", ("ids", string.Join(',', ids.Select(id => GraphIds.Require(id, nameof(ids))))), ("fields", fields?.ToString()));

    public static string Build(string path, params ReadOnlySpan<(string Name, string? Value)> parameters)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }
            builder.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return builder.ToString();
    }

    /// <summary>A valid id needs no escaping but its base64 padding, <c>=</c>, which goes as <c>%3D</c>.</summary>
    private static string Segment(string id, string argument) => Uri.EscapeDataString(GraphIds.Require(id, argument));
}
