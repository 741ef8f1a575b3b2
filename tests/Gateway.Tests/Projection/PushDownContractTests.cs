using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Projection;

/// <summary>
/// The push-down contract: the parent reads a <c>messages</c> field's arguments from its selection and asks Graph for that
/// first page inside its own call; the field's resolver must then recognise the page it is handed, or it reads it again
/// (an extra Graph call, with the same answer). Both sides derive the page from the same arguments the same way; every
/// form of the arguments below must therefore cost exactly one call.
/// </summary>
public sealed class PushDownContractTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    public static TheoryData<string, string, object?> ArgumentForms => new()
    {
        { "the default page size", "messages { nodes { id message } }", null },
        { "a literal first", "messages(first: 3) { nodes { id message } }", null },
        { "first from a variable", "messages(first: $n) { nodes { id message } }", new { n = 4 } },
        { "first from an omitted variable with a default", "messages(first: $d) { nodes { id message } }", null },
        { "first: 0", "messages(first: 0) { nodes { id } }", null },
        { "the largest page", "messages(first: 50) { edges { cursor node { id } } }", null },
        { "two aliases with the same arguments", "a: messages(first: 2) { nodes { id } } b: messages(first: 2) { nodes { message } }", null },
    };

    [Theory]
    [MemberData(nameof(ArgumentForms))]
    public async Task Every_form_of_a_first_page_is_recognised_by_the_resolver_as_pushed(string form, string messages, object? variables)
    {
        var host = await hosts.ForTestAsync();
        var declared = (messages.Contains("$n") ? ", $n: Int" : "") + (messages.Contains("$d") ? ", $d: Int = 5" : "");
        var query = $$"""
            query($page: ID!{{declared}}) { page(id: $page) { conversations(platform: MESSENGER, first: 3) { nodes { id {{messages}} } } } }
            """;
        var all = new Dictionary<string, object?> { ["page"] = host.Page.PageId };
        foreach (var property in variables?.GetType().GetProperties() ?? [])
        {
            all[property.Name] = property.GetValue(variables);
        }
        host.Emulator.ResetRequests();

        var answer = await host.QueryAsync(query, all);

        Assert.Null(answer["errors"]);
        Assert.True(host.UpstreamCalls.Count == 1, $"{form}: {host.UpstreamCalls.Count} Graph calls ({string.Join(", ", host.UpstreamCalls.Select(c => c.Path + c.Query))})");
    }
}
