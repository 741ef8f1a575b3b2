namespace MetaGraph;

/// <summary>The shape of Meta's object ids: digits (Pages, PSIDs, IGSIDs), <c>t_…</c> and <c>m_…</c> (Messenger), and
/// Instagram's base64url text, perhaps padded with <c>=</c>. Nothing else reaches a URL: no <c>.</c> (so never a
/// <c>.</c> or <c>..</c> path segment), <c>/</c>, <c>?</c>, <c>&amp;</c>, <c>#</c>, <c>,</c>, whitespace or control characters.</summary>
public static class GraphIds
{
    public const int MaxLength = 256;

    /// <summary>Graph API does not return a conversation's platform; Messenger thread ids are <c>t_</c>-prefixed.</summary>
    public static Platform PlatformOfConversation(string conversationId)
        => conversationId.StartsWith("t_", StringComparison.Ordinal) ? Platform.Messenger : Platform.Instagram;

    public static bool IsValid(string? id)
    {
        if (id is null || id.Length is 0 or > MaxLength)
        {
            return false;
        }
        var end = id.Length;
        for (var padding = 0; padding < 2 && end > 1 && id[end - 1] == '='; padding++)
        {
            end--;
        }
        foreach (var c in id.AsSpan(0, end))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The id, or an <see cref="ArgumentException"/> naming the argument (never the id, which the caller chose).</summary>
    public static string Require(string? id, string argument)
        => IsValid(id) ? id! : throw new ArgumentException("Not a Graph API id (digits, t_…, m_… or base64url text).", argument);
}
