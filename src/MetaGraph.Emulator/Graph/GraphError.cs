using System.Text.Json.Nodes;

namespace MetaGraph.Emulator.Graph;

/// <summary>A Graph API error answer: <c>{"error":{"message","type","code","error_subcode","fbtrace_id","is_transient"}}</c>.</summary>
public sealed class GraphError(int status, int code, string message, string type = "OAuthException", int? subcode = null, bool? transient = null)
    : Exception(message)
{
    public int Status { get; } = status;

    public JsonObject ToJson(string fbTraceId)
    {
        var error = new JsonObject { ["message"] = Message, ["type"] = type, ["code"] = code };
        if (subcode is { } sub)
        {
            error["error_subcode"] = sub;
        }
        if (transient is { } isTransient)
        {
            error["is_transient"] = isTransient;
        }
        error["fbtrace_id"] = fbTraceId;
        return new JsonObject { ["error"] = error };
    }

    public static GraphError InvalidParameter(string message) => new(400, 100, message, "OAuthException");

    public static GraphError UnknownField(string field, string nodeType)
        => new(400, 100, $"(#100) Tried accessing nonexisting field ({field}) on node type ({nodeType})");

    public static GraphError NoSuchObject(string id)
        => new(400, 100, $"Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
            "GraphMethodException", 33);

    public static GraphError InvalidToken()
        => new(400, 190, "Invalid OAuth access token - Cannot parse access token");

    public static GraphError DeletedMessage()
        => new(400, 100, "This Message has been deleted by the user or the business.", "OAuthException", 9000001);
}
