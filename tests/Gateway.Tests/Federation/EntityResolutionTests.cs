using Gateway.Tests.Conversations;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Messages;

namespace Gateway.Tests.Federation;

/// <summary>What a federation router sends: <c>_entities</c> resolves through the same loaders as everything else.</summary>
public sealed class EntityResolutionTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    [Fact]
    public async Task Forty_message_representations_are_one_graph_call()
    {
        var host = await hosts.ForTestAsync();
        var ids = await host.RecentMessageIdsAsync(40);
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync(
            "query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Message { id from { id } message } } }",
            new { representations = ids.Select(id => new { __typename = "Message", id }) });

        Assert.Null(result["errors"]);
        var entities = result.At("data._entities")!.AsArray();
        Assert.Equal(ids, entities.Select(e => e!["id"]!.GetValue<string>()));
        Assert.All(entities, e => Assert.NotNull(e!["from"]));
        var call = Assert.Single(host.UpstreamCalls);
        Assert.Contains("ids=", call.Query);
    }

    [Fact]
    public async Task Conversation_representations_are_one_call_with_their_messages()
    {
        var host = await hosts.ForTestAsync();
        var ids = await host.ConversationIdsAsync(5);
        host.Emulator.ResetRequests();

        var result = await host.QueryAsync(
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on Conversation { id snippet messages(first: 3) { nodes { id message } } } } }",
            new { r = ids.Select(id => new { __typename = "Conversation", id }) });

        Assert.Null(result["errors"]);
        Assert.Equal(ids, result.At("data._entities")!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
        Assert.Single(host.UpstreamCalls);
    }
}
