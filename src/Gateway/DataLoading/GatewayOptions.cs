namespace Gateway.DataLoading;

/// <summary><c>Gateway</c>: how GraphQL fields become Graph API calls.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    public ExecutionMode Mode { get; set; } = ExecutionMode.PushDown;
}
