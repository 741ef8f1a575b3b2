using System.Text;
using MetaGraph.Emulator.Errors;

namespace MetaGraph.Emulator.Graph;

/// <summary>The headers graph.facebook.com sends with every answer, as recorded answers show them (facebook-nodejs-business-sdk
/// nock recordings; facebook/php-graph-sdk batch fixtures): the version, request and trace ids, the revision, no caching,
/// open CORS, and on an <c>OAuthException</c> a <c>WWW-Authenticate</c> that repeats the error.</summary>
internal static class MetaHeaders
{
    private const string NoCache = "private, no-cache, no-store, must-revalidate";
    private const string Expires = "Sat, 01 Jan 2000 00:00:00 GMT";

    /// <summary>Sets the headers of a whole answer. <paramref name="requestId"/> is the error's <c>fbtrace_id</c> when there is
    /// one, as Meta's <c>x-fb-request-id</c> is.</summary>
    public static void WriteTo(IHeaderDictionary headers, string version, GraphError? error, string requestId, string traceId, string revision)
    {
        headers["facebook-api-version"] = version;
        headers["x-fb-request-id"] = requestId;
        headers["x-fb-trace-id"] = traceId;
        headers["x-fb-rev"] = revision;
        headers.CacheControl = error is null ? NoCache : "no-store";
        headers.Pragma = "no-cache";
        headers.Expires = Expires;
        headers.AccessControlAllowOrigin = "*";
        headers.StrictTransportSecurity = "max-age=15552000; preload";
        headers.Vary = "Accept-Encoding";
        if (error is not null && WwwAuthenticate(error) is { } challenge)
        {
            headers.WWWAuthenticate = challenge;
        }
    }

    /// <summary>The <c>headers</c> of a batch item, as Meta lists them.</summary>
    public static IEnumerable<KeyValuePair<string, string>> OfBatchItem(string version, GraphError? error)
    {
        yield return new("Facebook-API-Version", version);
        yield return new("Content-Type", "text/javascript; charset=UTF-8");
        yield return new("Pragma", "no-cache");
        yield return new("Access-Control-Allow-Origin", "*");
        yield return new("Cache-Control", error is null ? NoCache : "no-store");
        yield return new("Expires", Expires);
        if (error is not null && WwwAuthenticate(error) is { } challenge)
        {
            yield return new("WWW-Authenticate", challenge);
        }
    }

    /// <summary><c>OAuth "Facebook Platform" "invalid_token" "…"</c> for a token Meta refuses (190), <c>invalid_request</c> for
    /// any other <c>OAuthException</c>; none for other error types. The message is quoted with <c>\"</c> escapes, and kept to
    /// printable ASCII as an HTTP header must be.</summary>
    public static string? WwwAuthenticate(GraphError error)
    {
        if (error.Type != "OAuthException")
        {
            return null;
        }
        var kind = error.Code == GraphErrors.InvalidTokenCode ? "invalid_token" : "invalid_request";
        var message = new StringBuilder(error.Message.Length);
        foreach (var c in error.Message)
        {
            message.Append(c switch
            {
                '"' => "\\\"",
                < ' ' or > '~' => "?",
                _ => c.ToString(),
            });
        }
        return $"OAuth \"Facebook Platform\" \"{kind}\" \"{message}\"";
    }
}
