using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The runtime settings that only an environment variable can carry (the GC's gen0 budget) are in the launch profile, which
/// <c>dotnet run</c> and the benchmark harness use; the container image must set the same, or production would run
/// differently from what was measured.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_container_image_sets_every_variable_of_the_launch_profile()
    {
        using var launchSettings = JsonDocument.Parse(File.ReadAllText(Path.Combine(GatewayHost.RepositoryRoot, "src", "Gateway", "Properties", "launchSettings.json")));
        var variables = launchSettings.RootElement.GetProperty("profiles").GetProperty("Gateway").GetProperty("environmentVariables")
            .EnumerateObject().Select(variable => $"{variable.Name}={variable.Value.GetString()}").ToList();
        var dockerfile = File.ReadAllText(Path.Combine(GatewayHost.RepositoryRoot, "Dockerfile"));

        Assert.NotEmpty(variables);
        Assert.All(variables, variable => Assert.Contains(variable, dockerfile));
    }
}
