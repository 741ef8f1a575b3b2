using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Api;

/// <summary>Repeated documents skip parsing and static validation, but never a check that depends on the request.</summary>
public sealed class ValidatedDocumentCacheTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    [Fact]
    public async Task A_cached_document_is_still_refused_when_its_variables_make_it_too_complex()
    {
        var host = await hosts.ForTestAsync();
        var page = $$"""page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: $conversations) { nodes { messages(first: $messages) { nodes { id message from { name } } } } } }""";
        var query = "query Wide($conversations: Int, $messages: Int) { " + string.Join(" ", Enumerable.Range(0, 30).Select(i => $"p{i}: {page}")) + " }";

        var small = await host.QueryAsync(query, new { conversations = 1, messages = 1 });
        var again = await host.QueryAsync(query, new { conversations = 1, messages = 1 });
        host.Emulator.ResetRequests();
        var explosive = await host.QueryAsync(query, new { conversations = 50, messages = 50 });

        Assert.Null(small["errors"]);
        Assert.Equal(small.Compact(), again.Compact());
        Assert.Null(explosive["data"]);
        Assert.Contains("complexity", explosive["errors"]!.AsArray()[0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(host.UpstreamCalls);
    }

    [Fact]
    public async Task Each_operation_of_a_cached_document_runs_with_its_own_variables()
    {
        var host = await hosts.ForTestAsync();
        var query = $$"""
            query Fixed { page(id: "{{host.Page.PageId}}") { metaId } }
            query ById($id: ID!) { page(id: $id) { metaId } }
            """;

        var fixedPage = await host.PostAsync(new { query, operationName = "Fixed" });
        var missing = await host.PostAsync(new { query, operationName = "ById" });
        var byId = await host.PostAsync(new { query, operationName = "ById", variables = new { id = host.Emulator.Seed[1].PageId } });

        Assert.Equal(host.Page.PageId, fixedPage.At("data.page.metaId")!.GetValue<string>());
        Assert.Null(missing["data"]);
        Assert.Contains("$id", missing["errors"]!.AsArray()[0]!["message"]!.GetValue<string>());
        Assert.Equal(host.Emulator.Seed[1].PageId, byId.At("data.page.metaId")!.GetValue<string>());
    }

    [Fact]
    public async Task Variables_of_a_cached_document_are_still_coerced()
    {
        var host = await hosts.ForTestAsync();
        var query = GatewayHost.Operation("inbox");

        var first = await host.QueryAsync(query, new { pageId = host.Page.PageId, conversations = 2, messages = 2 });
        var wrongType = await host.QueryAsync(query, new { pageId = host.Page.PageId, conversations = "two", messages = 2 });

        Assert.Null(first["errors"]);
        Assert.Null(wrongType["data"]);
        Assert.Contains("$conversations", wrongType["errors"]!.AsArray()[0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_document_that_failed_validation_is_refused_every_time()
    {
        var host = await hosts.ForTestAsync();
        const string query = "query { page(id: 1) { nope } }";

        var first = await host.QueryAsync(query);
        var second = await host.QueryAsync(query);

        Assert.Null(first["data"]);
        Assert.Equal(first.Compact(), second.Compact());
    }
}
