using System.Text.Json.Serialization;

namespace MetaGraph;

/// <summary>
/// Meta's ID Matching API, for an app and Pages in one Business Manager: the ids one person has on the app's Pages. A data
/// deletion callback names the person by their app-scoped id; Page inboxes know them by Page-scoped ids.
/// </summary>
public interface IMetaIdMatchingClient
{
    /// <summary><c>GET /{appScopedUserId}/ids_for_pages</c> with the app's token (<c>{appId}|{appSecret}</c>, never logged),
    /// the first page: the person's id on each Page.</summary>
    Task<GraphResponse<GraphList<PageScopedId>>> GetIdsForPagesAsync(string appId, string appSecret, string appScopedUserId,
        CancellationToken cancellationToken = default);
}

/// <summary>A person's id on one Page (PSID), and the Page.</summary>
public sealed record PageScopedId
{
    [JsonPropertyName("id"), JsonRequired] public string Id { get; set; } = "";
    [JsonPropertyName("page")] public PageReference? Page { get; set; }
}

public sealed record PageReference
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
}
