using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Limits;

/// <summary>Bad input gets a spec-shaped error and a 4xx (or a coded field error), no Graph call, and the process stays healthy.</summary>
public sealed class BadInputTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    [Fact]
    public async Task An_unknown_operation_name_is_a_400()
    {
        var host = await hosts.ForTestAsync();

        var (status, body) = await PostAsync(host, new { query = "query A { __typename }", operationName = "B" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("B", body.At("errors.0.message")!.GetValue<string>());
        Assert.Null(body["data"]);
    }

    [Fact]
    public async Task Variables_of_the_wrong_type_are_a_400()
    {
        var host = await hosts.ForTestAsync();

        var (status, body) = await PostAsync(host, new
        {
            query = "query($page: ID!, $first: Int) { page(id: $page) { conversations(platform: MESSENGER, first: $first) { nodes { id } } } }",
            variables = new { page = host.Page.PageId, first = "ten" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_VALUE", body.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Empty(host.UpstreamCalls);
    }

    [Theory]
    [InlineData("t_1\u0000")]
    [InlineData("t_1/../../me")]
    [InlineData("t_1?fields=access_token")]
    [InlineData("ñandú-😀")]
    [InlineData("")]
    public async Task Ids_that_are_not_graph_ids_are_refused_before_any_call(string id)
    {
        var host = await hosts.ForTestAsync();

        var (status, body) = await PostAsync(host, new { query = "query($id: ID!) { conversation(id: $id) { id } message(id: $id) { id } }", variables = new { id } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.All(body["errors"]!.AsArray(), error => Assert.Equal("INVALID_ID", error.At("extensions.code")!.GetValue<string>()));
        Assert.Empty(host.UpstreamCalls);
        Assert.True((await host.Client.GetAsync("/health/live")).IsSuccessStatusCode);
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(GatewayHost host, object request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(request) };
        message.Headers.Authorization = new("Bearer", host.Page.AccessToken);
        message.Headers.Accept.ParseAdd("application/graphql-response+json");
        using var response = await host.Client.SendAsync(message);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
