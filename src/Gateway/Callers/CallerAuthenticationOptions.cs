namespace Gateway.Callers;

/// <summary>
/// Managed mode: Page tokens live in configuration, and frontends authenticate to the gateway itself, with an API key
/// (<c>X-Api-Key</c>) or a JWT (<c>Authorization: Bearer</c>). Each caller may read only the Pages its identity lists:
/// the API key's configured <c>Pages</c>, or the JWT's <c>pages</c> claims. On by default in Production when Page tokens
/// are configured on the server (anyone reaching the port could otherwise read those inboxes); elsewhere off by default,
/// and then a client forwards a Page token as its bearer token.
/// </summary>
public sealed class CallerAuthenticationOptions
{
    public const string Section = "Gateway:Auth";

    /// <summary>Unset in configuration: see <see cref="CallerAuthentication.RequiredByDefault"/>.</summary>
    public bool Required { get; set; }

    public Dictionary<string, ApiKeyCaller> ApiKeys { get; set; } = [];

    public JwtCallers Jwt { get; set; } = new();
}

public sealed class ApiKeyCaller
{
    public string Key { get; set; } = "";

    public List<string> Pages { get; set; } = [];
}

public sealed class JwtCallers
{
    /// <summary>An OpenID Connect authority whose keys sign the tokens, or ...</summary>
    public string? Authority { get; set; }

    /// <summary>... a shared HMAC key (base64), for deployments without an identity provider.</summary>
    public string? SigningKey { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }
}
