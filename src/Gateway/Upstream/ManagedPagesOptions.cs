namespace Gateway.Upstream;

/// <summary>Page access tokens configured on the server (<c>Meta:Pages:&lt;pageId&gt;:AccessToken</c>).</summary>
public sealed class ManagedPagesOptions
{
    /// <summary>The Page tokens are <c>Meta:Pages:&lt;pageId&gt;</c>, beside the Graph client's own settings.</summary>
    public const string Section = "Meta";

    /// <summary>The Pages this gateway holds tokens for, by Page id.</summary>
    public Dictionary<string, ManagedPage> Pages { get; set; } = [];
}

public sealed class ManagedPage
{
    /// <summary>The Page access token (kept on the server; never logged or returned).</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>The Page's linked Instagram professional account: Instagram webhooks name it instead of the Page.</summary>
    public string? InstagramAccountId { get; set; }
}
