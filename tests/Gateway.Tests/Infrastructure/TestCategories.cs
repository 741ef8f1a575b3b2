namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Tests that need more than this process and a few seconds: a browser, npm packages, redis-server or PostgreSQL, a
/// gateway as its own process, or load for tens of seconds. Marked <c>[Trait(TestCategories.Name, TestCategories.Slow)]</c>;
/// the inner loop leaves them out with <c>dotnet test Gateway.sln --filter "Category!=Slow"</c>, CI runs them all.
/// </summary>
public static class TestCategories
{
    public const string Name = "Category";
    public const string Slow = "Slow";
}
