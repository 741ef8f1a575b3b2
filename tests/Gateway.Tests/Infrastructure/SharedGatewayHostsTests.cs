namespace Gateway.Tests.Infrastructure;

public sealed class SharedGatewayHostsTests
{
    /// <summary>What lets tests that count Graph calls share a gateway: the next test finds no answer an earlier one
    /// cached (though the cache served it within that test) and no call in the request log.</summary>
    [Fact]
    public async Task The_next_test_reads_as_on_a_fresh_gateway_though_an_earlier_test_cached_the_same_read()
    {
        var hosts = new SharedGatewayHosts();
        try
        {
            var earlier = await hosts.ForTestAsync();
            var query = $$"""{ page(id: "{{earlier.Page.PageId}}") { conversations(platform: MESSENGER, first: 2) { nodes { id } } } }""";
            var first = await earlier.QueryAsync(query);
            var cached = await earlier.QueryAsync(query);
            Assert.Equal(first.Compact(), cached.Compact());
            Assert.Single(earlier.UpstreamCalls);

            var next = await hosts.ForTestAsync();
            Assert.Same(earlier, next);
            Assert.Empty(next.UpstreamCalls);
            var again = await next.QueryAsync(query);

            Assert.Equal(first.Compact(), again.Compact());
            Assert.Single(next.UpstreamCalls);
        }
        finally
        {
            await hosts.DisposeAsync();
        }
    }
}
