using System.ComponentModel.DataAnnotations;

namespace Gateway.Upstream;

public sealed class UpstreamBudgetOptions
{
    public const string Section = "Gateway:Budget";

    /// <summary>Graph API calls one GraphQL operation may make; past it, the remaining fields fail.</summary>
    [Range(0, 1_000_000)]
    public int MaxUpstreamCallsPerOperation { get; set; } = 50;
}
