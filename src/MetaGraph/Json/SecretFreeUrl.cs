namespace MetaGraph.Json;

/// <summary>Removes credentials from Graph URLs. Graph echoes the caller's <c>access_token</c> (and proof) in
/// <c>paging.next</c>/<c>previous</c>; those URLs go to callers, logs and cursors, so the secrets are dropped.</summary>
internal static class SecretFreeUrl
{
    private static readonly string[] SecretParameters = ["access_token", "appsecret_proof", "appsecret_time"];

    /// <summary>True when the URL's query string carries any credential parameter.</summary>
    public static bool HasSecrets(string url) => QueryParameters(url).Any(IsSecret);

    /// <summary>The URL without credential parameters; every other parameter is kept as sent, in order.</summary>
    public static string Strip(string url)
    {
        if (!HasSecrets(url))
        {
            return url;
        }
        var queryStart = url.IndexOf('?');
        var fragmentStart = url.IndexOf('#', queryStart);
        var fragment = fragmentStart < 0 ? "" : url[fragmentStart..];
        var kept = string.Join('&', QueryParameters(url).Where(p => !IsSecret(p)));
        return url[..queryStart] + (kept.Length == 0 ? "" : "?" + kept) + fragment;
    }

    private static IEnumerable<string> QueryParameters(string url)
    {
        var queryStart = url.IndexOf('?');
        if (queryStart < 0)
        {
            return [];
        }
        var fragmentStart = url.IndexOf('#', queryStart);
        var query = fragmentStart < 0 ? url[(queryStart + 1)..] : url[(queryStart + 1)..fragmentStart];
        return query.Split('&', StringSplitOptions.RemoveEmptyEntries);
    }

    private static bool IsSecret(string parameter)
    {
        var nameEnd = parameter.IndexOf('=');
        var name = Uri.UnescapeDataString(nameEnd < 0 ? parameter : parameter[..nameEnd]);
        return SecretParameters.Contains(name, StringComparer.OrdinalIgnoreCase);
    }
}
