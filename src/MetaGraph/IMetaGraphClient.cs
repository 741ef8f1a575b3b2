namespace MetaGraph;

/// <summary>
/// Meta's Graph API conversations endpoints. Every call takes the Page access token explicitly: the client never
/// stores a token, so one client safely serves many Pages and forwarded tokens.
/// Every Graph error body is raised as <see cref="GraphApiException"/>.
/// </summary>
public interface IMetaGraphClient
{
    /// <summary><c>GET /{pageId}/conversations?platform=...</c>, one page of results.</summary>
    Task<GraphResponse<GraphList<Conversation>>> GetConversationsAsync(
        string accessToken, string pageId, ConversationsQuery query, CancellationToken cancellationToken = default);

    /// <summary><c>GET /{conversationId}/messages</c>, one page, newest first.</summary>
    Task<GraphResponse<GraphList<Message>>> GetMessagesAsync(
        string accessToken, string conversationId, PageQuery query, CancellationToken cancellationToken = default);

    /// <summary><c>GET /{id}?fields=...</c> for any node (conversation or message).</summary>
    Task<GraphResponse<T>> GetNodeAsync<T>(
        string accessToken, string id, FieldList? fields, CancellationToken cancellationToken = default);

    /// <summary><c>GET /?ids=a,b,c&amp;fields=...</c>, chunked at 50 ids per call (chunks run concurrently).
    /// Duplicate ids are sent once. The result is keyed by id; a failing chunk throws.</summary>
    Task<GraphResponse<IReadOnlyDictionary<string, T>>> GetByIdsAsync<T>(
        string accessToken, IReadOnlyCollection<string> ids, FieldList? fields, CancellationToken cancellationToken = default);

    /// <summary><c>POST /</c> with <c>batch=[...]</c>, chunked at 50 items per call. Results come back in request order;
    /// an item's own failure is reported in its result, a failing HTTP call throws.</summary>
    Task<GraphResponse<IReadOnlyList<BatchItemResult>>> BatchAsync(
        string accessToken, IReadOnlyList<BatchRequest> requests, CancellationToken cancellationToken = default);
}

/// <summary>Cursor paging for an edge. At most one of <see cref="After"/> and <see cref="Before"/>.</summary>
public sealed record PageQuery(int? Limit = null, string? After = null, string? Before = null, FieldList? Fields = null);

/// <summary>Arguments of <c>/{page}/conversations</c>.</summary>
public sealed record ConversationsQuery(
    Platform Platform,
    string? UserId = null,
    string? Folder = null,
    int? Limit = null,
    string? After = null,
    string? Before = null,
    FieldList? Fields = null);
