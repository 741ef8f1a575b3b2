namespace Gateway.Tests.Infrastructure;

/// <summary>Tests that count the gateway's own metrics run alone, after the parallel tests: the meter is process-wide, so
/// another test's gateway running at the same time would add to the count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeterCollection
{
    public const string Name = "The process-wide Gateway meter";
}
