using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Limits;

/// <summary>Every id a caller names is checked by shape before any URL is built: none of these reaches Graph.</summary>
public sealed class IdShapeTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    private const string Query = """
        query($id: ID!, $page: ID!, $r: [_Any!]!) {
          p: page(id: $id) { conversations(platform: MESSENGER) { nodes { id } } }
          u: page(id: $page) { conversations(platform: MESSENGER, userId: $id) { nodes { id } } }
          c: conversation(id: $id) { id }
          m: message(id: $id) { id }
          e: _entities(representations: $r) { ... on Conversation { id } ... on Message { id } }
        }
        """;

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("t_1.json")]
    [InlineData("t_1/messages")]
    [InlineData("me?fields=access_token")]
    [InlineData("t_1&access_token=x")]
    [InlineData("t_1#fragment")]
    [InlineData("t_1,t_2")]
    [InlineData("t_1 2")]
    [InlineData("t_1\t")]
    [InlineData("t_1\n")]
    [InlineData("t_1\u0000")]
    [InlineData("%2e%2e")]
    [InlineData("=")]
    public async Task An_id_of_the_wrong_shape_costs_no_graph_call_wherever_it_is_named(string id)
    {
        var host = await hosts.ForTestAsync();
        var representations = new object[] { new { __typename = "Conversation", id }, new { __typename = "Message", id } };

        var result = await host.QueryAsync(Query, new { id, page = host.Page.PageId, r = representations });

        var errors = result["errors"]!.AsArray();
        Assert.All(errors, error => Assert.Equal("INVALID_ID", error.At("extensions.code")!.GetValue<string>()));
        Assert.Equal(["c", "e", "m", "p", "u"], errors.Select(error => error!["path"]![0]!.GetValue<string>()).Distinct().Order());
        Assert.Empty(host.UpstreamCalls);
    }

    [Theory]
    [InlineData("104000000000001")]
    [InlineData("t_354263313984348")]
    [InlineData("m_Ab-_9z")]
    [InlineData("aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6")]
    [InlineData("aWdfZA==")]
    public async Task Ids_of_metas_shapes_are_accepted(string id)
    {
        var host = await hosts.ForTestAsync();

        var result = await host.QueryAsync("query($id: ID!) { page(id: $id) { metaId } }", new { id });

        Assert.Null(result["errors"]);
        Assert.Equal(id, result.At("data.page.metaId")!.GetValue<string>());
    }
}
