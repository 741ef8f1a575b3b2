namespace Gateway.Callers;

/// <summary>
/// Managed mode: Page tokens live in configuration, and frontends authenticate to the gateway itself, with an API key
/// (<c>X-Api-Key</c>) or a JWT (<c>Authorization: Bearer</c>). Each caller may read only the Pages its identity lists:
/// the API key's configured <c>Pages</c>, or the JWT's <c>pages</c> claims; and send as only those it is given the send
/// permission for: the API key's <c>SendPages</c>, or the JWT's <c>send:&lt;pageId&gt;</c> scopes. On by default in Production when Page tokens
/// are configured on the server (anyone reaching the port could otherwise read those inboxes); elsewhere off by default,
/// and then a client forwards a Page token as its bearer token.
/// </summary>
public sealed class CallerAuthenticationOptions
{
    public const string Section = "Gateway:Auth";

    /// <summary>Whether every caller must authenticate (an API key or a JWT naming its Pages). Unset, it is on in Production
    /// when Page tokens are configured on the server (<see cref="CallerAuthentication.RequiredByDefault"/>).</summary>
    public bool Required { get; set; }

    /// <summary>Callers by name, each with its key and Pages.</summary>
    public Dictionary<string, ApiKeyCaller> ApiKeys { get; set; } = [];

    /// <summary>Callers with a bearer JWT whose <c>pages</c> claim names their Pages (and whose <c>scope</c> claim's
    /// <c>send:&lt;pageId&gt;</c> entries name the Pages they may send as).</summary>
    public JwtCallers Jwt { get; set; } = new();
}

public sealed class ApiKeyCaller
{
    /// <summary>What the caller sends as <c>X-Api-Key</c>.</summary>
    public string Key { get; set; } = "";

    /// <summary>The Pages this key may read.</summary>
    public List<string> Pages { get; set; } = [];

    /// <summary>The Pages this key may also send as (replies, reactions, read receipts, typing); each must be one it may read.</summary>
    public List<string> SendPages { get; set; } = [];
}

public sealed class JwtCallers
{
    /// <summary>An OpenID Connect authority whose keys sign the tokens, or ...</summary>
    public string? Authority { get; set; }

    /// <summary>... a shared HMAC key (base64), for deployments without an identity provider.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The <c>iss</c> a token must carry; unchecked when unset.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> a token must carry; unchecked when unset.</summary>
    public string? Audience { get; set; }
}
