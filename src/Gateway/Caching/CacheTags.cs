namespace Gateway.Caching;

/// <summary>The tags cached Graph answers carry, and webhooks invalidate by: the one contract between the two.</summary>
public static class CacheTags
{
    /// <summary>Every listing of a Page's conversations (any platform, folder, person or cursor).</summary>
    public static string Listing(string pageId) => "listing:" + pageId;

    /// <summary>Every answer that contains this conversation or message.</summary>
    public static string Object(string id) => "object:" + id;
}
