using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Configuration;

/// <summary>Every section is bound one way and checked when the host starts: a wrong value stops start-up with a message
/// naming the key, rather than surfacing at the first request that reads it.</summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Gateway:Limits:MaxDepth", "0", "Gateway:Limits:MaxDepth")]
    [InlineData("Gateway:Cache:EagerRefreshThreshold", "3", "Gateway:Cache:EagerRefreshThreshold")]
    [InlineData("Inbox:PageQueueCapacity", "-1", "Inbox:PageQueueCapacity")]
    [InlineData("Meta:RateLimit:BackgroundShare", "2", "Meta:RateLimit:BackgroundShare")]
    [InlineData("Meta:Webhooks:Path", "webhooks", "Meta:Webhooks:Path")]
    [InlineData("GraphQL:Subscriptions:MaxOperationsPerConnection", "many", "GraphQL:Subscriptions:MaxOperationsPerConnection")]
    public async Task A_wrong_value_stops_start_up_naming_its_key(string key, string value, string named)
    {
        var failure = await Record.ExceptionAsync(async () =>
        {
            await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { [key] = value });
        });

        Assert.NotNull(failure);
        Assert.Contains(named, failure.ToString());
    }
}
