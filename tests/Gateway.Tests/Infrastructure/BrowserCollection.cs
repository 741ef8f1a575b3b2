namespace Gateway.Tests.Infrastructure;

/// <summary>Tests that drive Banana Cake Pop in headless Chromium run alone, after the parallel tests: a browser
/// and the IDE's own rendering need the two cores, and under the whole suite's load the IDE misses clicks.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "Banana Cake Pop in Chromium";
}
