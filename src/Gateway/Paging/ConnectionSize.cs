namespace Gateway.Paging;

/// <summary>Sizes (`first`/`last`) of every connection: HotChocolate's defaults, capped by Graph's ids/batch limit.</summary>
public static class ConnectionSize
{
    public const int Default = 10;
    public const int Max = 50;
}
