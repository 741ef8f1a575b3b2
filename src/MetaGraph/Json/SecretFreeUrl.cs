using System.Buffers;

namespace MetaGraph.Json;

/// <summary>Removes credentials from Graph URLs. Graph echoes the caller's <c>access_token</c> (and proof) in
/// <c>paging.next</c>/<c>previous</c>; those URLs go to callers, logs and cursors, so the secrets are dropped.</summary>
internal static class SecretFreeUrl
{
    private static readonly string[] SecretParameters = ["access_token", "appsecret_proof", "appsecret_time"];

    /// <summary>True when the URL's query string carries any credential parameter. Every paging URL of every Graph answer
    /// passes here, so it reads the query in place and allocates only for a name that is percent-encoded.</summary>
    public static bool HasSecrets(ReadOnlySpan<char> url)
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
    public static string Strip(string url) => HasSecrets(url) ? Strip(url.AsSpan()) : url;

    /// <summary>The URL without credential parameters, as one new string (a paging URL read from JSON is stripped before
    /// it becomes a string at all).</summary>
    public static string Strip(ReadOnlySpan<char> url)
    {
        if (!HasSecrets(url))
        {
            return url.ToString();
        }
        var buffer = ArrayPool<char>.Shared.Rent(url.Length);
        try
        {
            var queryStart = url.IndexOf('?');
            var query = Query(url);
            url[..queryStart].CopyTo(buffer);
            var length = queryStart;
            foreach (var range in query.Split('&'))
            {
                var parameter = query[range];
                if (parameter.IsEmpty || IsSecret(parameter))
                {
                    continue;
                }
                buffer[length] = length == queryStart ? '?' : '&';
                length++;
                parameter.CopyTo(buffer.AsSpan(length));
                length += parameter.Length;
            }
            var fragment = url[(queryStart + 1 + query.Length)..];
            fragment.CopyTo(buffer.AsSpan(length));
            return new string(buffer, 0, length + fragment.Length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>The query string between <c>?</c> and any <c>#</c>; empty when there is none.</summary>
    private static ReadOnlySpan<char> Query(ReadOnlySpan<char> url)
    {
        var queryStart = url.IndexOf('?');
        if (queryStart < 0)
        {
            return [];
        }
        var query = url[(queryStart + 1)..];
        var fragmentStart = query.IndexOf('#');
        return fragmentStart < 0 ? query : query[..fragmentStart];
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
