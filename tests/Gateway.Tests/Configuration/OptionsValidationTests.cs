using Gateway.Configuration;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Configuration;

/// <summary>Every section is bound one way and checked when the host starts: a wrong value stops start-up with a message
/// naming the key, rather than surfacing at the first request that reads it. The gateway runs as its own process, as an
/// operator starts it: in-process, the test host's start-up races its own disposal when the host fails to start.</summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Gateway:Limits:MaxDepth", "0")]
    [InlineData("Gateway:Cache:EagerRefreshThreshold", "3")]
    [InlineData("Inbox:PageQueueCapacity", "-1")]
    [InlineData("Meta:RateLimit:BackgroundShare", "2")]
    [InlineData("Meta:Webhooks:Path", "webhooks")]
    [InlineData("GraphQL:Subscriptions:MaxOperationsPerConnection", "many")]
    public async Task A_wrong_value_stops_start_up_naming_its_key(string key, string value)
    {
        var run = await GatewayProcess.RunCommandAsync(["--urls", $"http://127.0.0.1:{FreePorts.Next()}"],
            GatewayProcess.Environment(new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Development", [key] = value }),
            TimeSpan.FromSeconds(90));

        Assert.Equal(ConfigurationFailure.ExitCode, run.ExitCode);
        var reported = Assert.Single(run.Errors.Split('\n'), line => line.StartsWith("The gateway did not start: ", StringComparison.Ordinal));
        Assert.Contains(key, reported);
        Assert.DoesNotContain("Unhandled exception", run.Errors);
    }
}
