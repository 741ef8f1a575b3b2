using System.Text.Json;

namespace MetaGraph.Emulator.Errors;

/// <summary>A Graph API error answer, thrown where it is found and written as
/// <c>{"error":{"message","type","code","error_subcode","is_transient","fbtrace_id"}}</c>.</summary>
internal sealed class GraphError(int status, int code, string message, string type = "OAuthException", int? subcode = null, bool? isTransient = null)
    : Exception(message)
{
    public int Status { get; } = status;
    public int Code { get; } = code;
    public string Type { get; } = type;

    public void WriteTo(Utf8JsonWriter writer, string fbTraceId)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", Message);
        writer.WriteString("type", Type);
        writer.WriteNumber("code", Code);
        if (subcode is { } sub)
        {
            writer.WriteNumber("error_subcode", sub);
        }
        if (isTransient is { } transient)
        {
            writer.WriteBoolean("is_transient", transient);
        }
        writer.WriteString("fbtrace_id", fbTraceId);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

/// <summary>The errors the emulator answers with, in Meta's words where Meta's are known.</summary>
internal static class GraphErrors
{
    public const int InvalidTokenCode = 190;

    /// <summary>Meta answers a request without any token with 104, not 190 (clients refresh tokens on 190).</summary>
    public const int MissingTokenCode = 104;

    public static GraphError InvalidParameter(string message) => new(400, 100, message);

    public static GraphError MissingToken()
        => new(400, MissingTokenCode, "An access token is required to request this resource.");

    public static GraphError InvalidToken()
        => new(400, InvalidTokenCode, "Invalid OAuth access token - Cannot parse access token");

    public static GraphError MissingProof()
        => new(400, 100, "API calls from the server require an appsecret_proof argument", "GraphMethodException");

    public static GraphError InvalidProof()
        => new(400, 100, "Invalid appsecret_proof provided in the API argument", "GraphMethodException");

    public static GraphError NotThisPagesInbox()
        => new(403, 200, "(#200) Requires pages_messaging permission to manage the object");

    public static GraphError NoSuchObject(string id, string method = "get")
        => new(400, 100, $"Unsupported {method} request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, " +
            "or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
            "GraphMethodException", subcode: 33);

    public static GraphError UnknownAliases(IEnumerable<string> ids)
        => new(404, 803, $"(#803) Some of the aliases you requested do not exist: {string.Join(',', ids)}");

    public static GraphError DeletedMessage()
        => new(400, 100, "This Message has been deleted by the user or the business.", subcode: 9000001);

    public static GraphError UnknownField(string field, string nodeType)
        => InvalidParameter($"(#100) Tried accessing nonexisting field ({field}) on node type ({nodeType})");

    public static GraphError UnknownPath(string components) => new(400, 2500, $"Unknown path components: {components}");

    public static GraphError TooManyIds(int provided) => InvalidParameter($"(#100) Too many IDs. Maximum: {Graph.GraphReader.MaxIds}. Provided: {provided}.");

    public static GraphError InvalidCursor(string name) => InvalidParameter($"(#100) The {name} cursor is invalid or has expired");

    /// <summary>The Messenger business-use-case limit, in the words of Meta's Graph API reference (Page conversations, User):
    /// code 80006, with the <c>(#code)</c> prefix Meta's answers carry.</summary>
    public static GraphError MessengerRateLimited()
        => new(400, 80006, "(#80006) There have been too many messenger api calls to this Page account. Wait a bit and try again. " +
            "For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.");

    /// <summary>Meta's custom rate limit, 613; Instagram's carries subcode 2534040 (Messenger Platform common error codes).</summary>
    public static GraphError SendRateLimited(bool instagram)
        => new(400, 613, "(#613) Calls to this api have exceeded the rate limit.", subcode: instagram ? 2534040 : null);

    public static GraphError ServiceError()
        => new(500, 2, "An unexpected error has occurred. Please retry your request later.", isTransient: true);

    public static GraphError Unavailable() => new(503, 1, "Service temporarily unavailable", isTransient: true);

    public static GraphError Unknown() => new(500, 1, "An unknown error has occurred.", isTransient: true);
}
