using MetaGraph;

namespace Gateway.Api;

/// <summary>Every id a caller names (arguments, variables, <c>_entities</c> representations) is checked here by shape,
/// before any URL is built: see <see cref="GraphIds"/>.</summary>
public static class NodeIds
{
    public static string Validate(string? id, string argument = "id")
        => GraphIds.IsValid(id)
            ? id!
            : throw new GatewayError("INVALID_ID", $"`{argument}` is not a Graph API id: ids are digits, `t_…`/`m_…` or base64url text.",
                new Dictionary<string, object?> { ["argument"] = argument });
}
