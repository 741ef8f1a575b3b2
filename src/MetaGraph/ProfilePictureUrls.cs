using System.Globalization;

namespace MetaGraph;

/// <summary>
/// Meta's profile picture URLs are signed and expire: <c>platform-lookaside.fbsbx.com/…&amp;ext=&lt;unix seconds&gt;&amp;hash=…</c>
/// for the Messenger profile API, <c>scontent….fbcdn.net/…&amp;oe=&lt;unix seconds in hex&gt;</c> for CDN links. Whoever keeps
/// one must not hand it out after that.
/// </summary>
public static class ProfilePictureUrls
{
    /// <summary>When the URL stops working, if it says.</summary>
    public static DateTimeOffset? ExpiresAt(string? url)
    {
        var query = url is null ? -1 : url.IndexOf('?');
        if (query < 0)
        {
            return null;
        }
        foreach (var parameter in url!.AsSpan(query + 1).ToString().Split('&'))
        {
            var (name, value) = parameter.IndexOf('=') is var equals and > 0 ? (parameter[..equals], parameter[(equals + 1)..]) : (parameter, "");
            if (name == "ext" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || name == "oe" && long.TryParse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out seconds))
            {
                return seconds is > 0 and < 253_402_300_800 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
            }
        }
        return null;
    }
}
