namespace Gateway.Hosting;

/// <summary>
/// <c>dotnet run</c> on a fresh clone is the demo, so an unset environment means Development. The launch profile sets
/// no environment: whatever the user sets (<c>ASPNETCORE_ENVIRONMENT</c>, <c>DOTNET_ENVIRONMENT</c> or
/// <c>--environment</c>) always wins, and the container image sets Production.
/// </summary>
public static class DefaultEnvironment
{
    public static void DevelopmentUnlessSet()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"))
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")))
        {
            Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT", Environments.Development);
        }
    }
}
