namespace Gateway.Paging;

/// <summary>Page sizes of every connection: HotChocolate's defaults, capped by Graph's ids/batch limit.</summary>
public static class PageSize
{
    public const int Default = 10;
    public const int Max = 50;
}
