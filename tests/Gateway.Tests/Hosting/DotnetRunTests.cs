using System.Net;
using System.Net.Http.Json;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The gateway started the way README says, with <c>dotnet run --no-build --project src/Gateway</c> (launch profile
/// included), as its own process: an environment the user sets is the one that runs, and the demo is the default.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
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

    [Fact]
    public async Task The_embedded_emulators_port_is_a_setting()
    {
        var port = FreePorts.Next();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Meta__Emulator__Port"] = port.ToString(),
        });

        var output = await gateway.WaitForOutputAsync("Paste into Banana Cake Pop");
        using var emulator = new HttpClient();
        var seed = await emulator.GetStringAsync($"http://127.0.0.1:{port}/_emulator/seed");

        Assert.Contains($"on the embedded Graph API emulator (http://127.0.0.1:{port}/)", output);
        Assert.Contains("\"pageId\"", seed);
    }

    /// <summary>What a frontend team does to test against stable data: a standalone emulator, and a gateway told to read it
    /// with two settings. The gateway takes the emulator's demo Pages and tokens, points the emulator's webhooks at itself
    /// and prints the banner.</summary>
    [Fact]
    public async Task Against_a_standalone_emulator_two_settings_give_the_demo_its_tokens_webhooks_and_banner()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions());
        var page = emulator.Seed[0];
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Meta__UseEmulator"] = "true",
            ["Meta__GraphApiBaseUrl"] = emulator.BaseAddress.ToString().TrimEnd('/'),
        });

        var output = await gateway.WaitForOutputAsync("The emulator delivers its webhooks to");
        // No token sent: the demo's Page tokens are configured on the gateway, as with the embedded emulator.
        using var inbox = await gateway.Http.PostAsJsonAsync("graphql", new { query = $$"""{ page(id: "{{page.PageId}}") { conversations(platform: MESSENGER, first: 1) { nodes { metaId } } } }""" });
        await using var subscriber = await GraphQLWsClient.ConnectAndInitAsync(gateway.Address);
        await subscriber.SubscribeAsync("1", "subscription($page: ID!) { messageReceived(pageId: $page) { message } }", new { page = page.PageId });
        // The subscription starts asynchronously in the other process: the person writes until the subscriber hears one.
        var receiving = subscriber.ReceiveDataAsync("1");
        await Eventually.TrueAsync(async () =>
        {
            await EmulatorLive.PostAsync(emulator.BaseAddress, new { pageId = page.PageId, platform = "messenger", userId = "5550000000000001", text = "Standalone hello" });
            await Task.WhenAny(receiving, Task.Delay(TimeSpan.FromMilliseconds(500)));
            return receiving.IsCompleted;
        }, TimeSpan.FromSeconds(25), "a message written at the standalone emulator");
        var received = await receiving;

        Assert.Contains($"on the standalone Graph API emulator ({emulator.BaseAddress})", output);
        Assert.Contains($"page {page.PageId}  token {page.AccessToken}", output);
        Assert.Contains("\"nodes\":[{\"metaId\":", await inbox.Content.ReadAsStringAsync());
        Assert.Equal("Standalone hello", received.At("messageReceived.message")!.GetValue<string>());
    }

    [Fact]
    public async Task The_embedded_emulator_is_stopped_with_the_host()
    {
        var factory = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>().WithWebHostBuilder(web => web.UseEnvironment("Development"));
        factory.CreateClient().Dispose();
        var seed = new Uri(factory.Services.GetRequiredService<Gateway.Hosting.DemoEmulator>().BaseAddress, "_emulator/seed");
        using var http = new HttpClient();
        var whileRunning = (await http.GetAsync(seed)).StatusCode;

        await factory.DisposeAsync();

        Assert.Equal(HttpStatusCode.OK, whileRunning);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(seed));
    }
}
