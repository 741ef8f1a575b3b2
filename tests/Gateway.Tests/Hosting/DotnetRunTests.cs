using System.Net;
using System.Net.Http.Json;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The gateway started the way README says, with <c>dotnet run --no-build --project src/Gateway</c> (launch profile
/// included), as its own process: an environment the user sets is the one that runs, and the demo is the default.
/// </summary>
public sealed class DotnetRunTests
{
    private const string ApiKey = "ops-key-0123456789abcdef";

    [Fact]
    public async Task Production_talks_to_the_configured_graph_url_and_prints_no_token()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions());
        var page = emulator.Seed[0];
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Meta__GraphApiBaseUrl"] = emulator.BaseAddress.ToString().TrimEnd('/'),
            [$"Meta__Pages__{page.PageId}__AccessToken"] = page.AccessToken,
            ["Gateway__Auth__ApiKeys__ops__Key"] = ApiKey,
            ["Gateway__Auth__ApiKeys__ops__Pages__0"] = page.PageId,
        });

        using var request = new HttpRequestMessage(HttpMethod.Post, "graphql")
        {
            Content = JsonContent.Create(new { query = $$"""{ page(id: "{{page.PageId}}") { conversations(platform: MESSENGER, first: 1) { nodes { id } } } }""" }),
        };
        request.Headers.Add("X-Api-Key", ApiKey);
        using var response = await gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"nodes\":[{\"id\":", await response.Content.ReadAsStringAsync());
        Assert.Single(emulator.Requests, call => call.Path.EndsWith($"/{page.PageId}/conversations"));
        var output = gateway.Output();
        Assert.DoesNotContain(page.AccessToken, output);
        Assert.DoesNotContain("token", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("emulator", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Without_an_environment_it_is_the_demo_on_the_embedded_emulator()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = null, ["DOTNET_ENVIRONMENT"] = null });

        var output = await gateway.WaitForOutputAsync("Paste into Banana Cake Pop");

        Assert.Contains("on the embedded Graph API emulator", output);
        Assert.Contains("token ", output);
    }
}
