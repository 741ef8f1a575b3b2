namespace Gateway.DataLoading;

/// <summary><c>Gateway</c>: how GraphQL fields become Graph API calls.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>How fields become Graph API calls: <c>PushDown</c> in production; <c>Batched</c> and <c>Naive</c> for the benchmark's comparisons.</summary>
    public ExecutionMode Mode { get; set; } = ExecutionMode.PushDown;
}
