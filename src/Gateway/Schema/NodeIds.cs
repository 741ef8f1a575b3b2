namespace Gateway.Schema;

/// <summary>Meta's ids are digits, <c>t_</c>/<c>m_</c> prefixed tokens or base64-like text. Anything else is refused
/// before it can reach a URL.</summary>
public static class NodeIds
{
    private const int MaxLength = 256;

    public static string Validate(string id, string argument = "id")
    {
        if (id.Length is 0 or > MaxLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '=' or '.'))
        {
            throw new GatewayError("INVALID_ID", $"`{argument}` is not a Graph API id.",
                new Dictionary<string, object?> { ["argument"] = argument });
        }
        return id;
    }
}
