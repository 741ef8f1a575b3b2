namespace MetaGraph.Json;

/// <summary>Removes credentials from Graph URLs. Graph echoes the caller's <c>access_token</c> (and proof) in
/// <c>paging.next</c>/<c>previous</c>; those URLs go to callers, logs and cursors, so the secrets are dropped.</summary>
internal static class SecretFreeUrl
{
    private static readonly string[] SecretParameters = ["access_token", "appsecret_proof", "appsecret_time"];

    /// <summary>True when the URL's query string carries any credential parameter. Every paging URL of every Graph answer
    /// passes here, so it reads the query in place and allocates only for a name that is percent-encoded.</summary>
    public static bool HasSecrets(string url)
    {
        var query = Query(url);
        foreach (var range in query.Split('&'))
        {
            if (IsSecret(query[range]))
            {
                return true;
            }
        }
        return false;
    }

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
        => Query(url).ToString().Split('&', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The query string between <c>?</c> and any <c>#</c>; empty when there is none.</summary>
    private static ReadOnlySpan<char> Query(string url)
    {
        var queryStart = url.IndexOf('?');
        if (queryStart < 0)
        {
            return [];
        }
        var fragmentStart = url.IndexOf('#', queryStart);
        return fragmentStart < 0 ? url.AsSpan(queryStart + 1) : url.AsSpan(queryStart + 1, fragmentStart - queryStart - 1);
    }

    private static bool IsSecret(ReadOnlySpan<char> parameter)
    {
        var nameEnd = parameter.IndexOf('=');
        var name = nameEnd < 0 ? parameter : parameter[..nameEnd];
        if (name.Contains('%'))
        {
            name = Uri.UnescapeDataString(name.ToString());
        }
        foreach (var secret in SecretParameters)
        {
            if (name.Equals(secret, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
