using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Http;

/// <summary>Tools introspect the schema under the query limits; abusive introspection is still refused, and all of it
/// can be turned off.</summary>
public sealed class IntrospectionTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    /// <summary>graphql-js' own <c>getIntrospectionQuery()</c>: as codegen and the devtools send it, and with the options
    /// GraphQL.NET serves (not <c>specifiedByUrl</c> nor <c>inputValueDeprecation</c>). Printed by the real package, not copied.</summary>
    private const string QueriesScript = """
        import { getIntrospectionQuery } from 'graphql';
        console.log(JSON.stringify([
          getIntrospectionQuery(),
          getIntrospectionQuery({ descriptions: true, directiveIsRepeatable: true, schemaDescription: true, oneOf: true }),
        ]));
        """;

    /// <summary>What codegen does with the answer: build a client schema from it and print it.</summary>
    private const string BuildSchemaScript = """
        import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql';
        const response = await fetch(process.env.GRAPHQL_URL, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
          body: JSON.stringify({ query: getIntrospectionQuery({ directiveIsRepeatable: true, oneOf: true }) }),
        });
        const { data, errors } = await response.json();
        if (errors) { console.log(JSON.stringify(errors)); process.exit(1); }
        console.log(JSON.stringify(Object.keys(buildClientSchema(data).getTypeMap())));
        """;

    private static readonly Dictionary<string, string> Graphql = new() { ["graphql"] = "16.15.0" };

    /// <summary>Printed once per test run: the pinned package prints the same queries every time.</summary>
    private static readonly Lazy<Task<List<string>>> StandardQueries = new(PrintStandardQueriesAsync);

    [Trait(TestCategories.Name, TestCategories.Slow)]
    [Fact]
    public async Task Graphql_js_standard_introspection_queries_pass_the_limits()
    {
        var queries = await StandardQueries.Value;
        var host = await hosts.ForTestAsync();

        foreach (var query in queries)
        {
            var result = await host.QueryAsync(query);

            Assert.True(result["errors"] is null, result.ToJsonString());
            var types = result.At("data.__schema.types")!.AsArray().Select(type => type!["name"]!.GetValue<string>()).ToList();
            Assert.Contains("Page", types);
            Assert.Contains("Conversation", types);
            Assert.Contains("Message", types);
        }
    }

    [Trait(TestCategories.Name, TestCategories.Slow)]
    [Fact]
    public async Task Graphql_js_builds_a_client_schema_from_the_introspection_answer()
    {
        var folder = await NodeTools.InstallAsync(Graphql);
        var host = await hosts.ForTestAsync();

        var (exitCode, output) = await NodeTools.RunScriptAsync(folder, "build-client-schema.mjs", BuildSchemaScript,
            new Dictionary<string, string> { ["GRAPHQL_URL"] = new Uri(host.Client.BaseAddress!, "/graphql").ToString() }, TimeSpan.FromMinutes(1));

        Assert.True(exitCode == 0, output);
        var types = JsonSerializer.Deserialize<List<string>>(output.Trim().Split('\n')[^1])!;
        Assert.Contains("Conversation", types);
        Assert.Contains("MessagesConnection", types);
    }

    [Fact]
    public async Task The_standard_introspection_query_repeated_in_one_operation_is_refused()
    {
        var query = (await StandardQueries.Value)[0];
        var repeated = query.Replace("__schema {", "a: __schema { queryType { name } } b: __schema {", StringComparison.Ordinal);
        var host = await hosts.ForTestAsync();

        var result = await host.QueryAsync(repeated);

        Assert.Null(result["data"]);
        Assert.Equal("INTROSPECTION_REPEATED", Assert.Single(result["errors"]!.AsArray()).At("extensions.code")!.GetValue<string>());
    }

    [Fact]
    public async Task Introspection_counts_against_the_complexity_limit_by_what_it_returns()
    {
        var query = (await StandardQueries.Value)[0];
        // The standard query returns about 4,800 fields of this schema; ten of these limits refuse it.
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:Limits:MaxComplexity"] = "480" });

        var result = await host.QueryAsync(query);

        Assert.Null(result["data"]);
        Assert.Equal("COMPLEXITY", Assert.Single(result["errors"]!.AsArray()).At("extensions.code")!.GetValue<string>());
    }

    [Theory]
    [InlineData("ofType chain of ten", """{ __type(name: "Query") { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } }""")]
    [InlineData("fields of fields of fields", "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }")]
    [InlineData("through fragments", """
        { __schema { types { ...F } } }
        fragment F on __Type { fields { type { interfaces { possibleTypes { name } } } } }
        """)]
    public async Task Introspection_nested_beyond_the_standard_query_is_refused(string shape, string query)
    {
        var host = await hosts.ForTestAsync();

        var result = await host.QueryAsync(query);

        Assert.True(result["data"] is null, shape);
        Assert.Equal("INTROSPECTION_TOO_DEEP", Assert.Single(result["errors"]!.AsArray()).At("extensions.code")!.GetValue<string>());
    }

    [Trait(TestCategories.Name, TestCategories.Slow)]
    [Fact]
    public async Task Introspection_turned_off_is_refused_with_a_code_while_typename_and_the_federation_sdl_still_work()
    {
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:Introspection:Enabled"] = "false" });

        using var introspection = await host.Client.PostAsync("/graphql", new StringContent(
            """{"query":"{ __type(name: \"Page\") { name } }"}""", Encoding.UTF8, "application/json"));
        using var sdl = await host.Client.GetAsync("/graphql?sdl");
        var typename = await host.QueryAsync("{ __typename }");
        var federationSdl = await host.QueryAsync("{ _service { sdl } }");

        Assert.Equal(HttpStatusCode.OK, introspection.StatusCode);
        var body = JsonDocument.Parse(await introspection.Content.ReadAsStringAsync()).RootElement;
        Assert.False(body.TryGetProperty("data", out _));
        Assert.Equal("INTROSPECTION_NOT_ALLOWED", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, sdl.StatusCode);
        Assert.Contains("INTROSPECTION_NOT_ALLOWED", await sdl.Content.ReadAsStringAsync());
        Assert.Equal("Query", typename.At("data.__typename")!.GetValue<string>());
        Assert.Contains("type Conversation", federationSdl.At("data._service.sdl")!.GetValue<string>());
    }

    private static async Task<List<string>> PrintStandardQueriesAsync()
    {
        var folder = await NodeTools.InstallAsync(Graphql);
        var (exitCode, output) = await NodeTools.RunScriptAsync(folder, "introspection-queries.mjs", QueriesScript,
            new Dictionary<string, string>(), TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0, output);
        return JsonSerializer.Deserialize<List<string>>(output.Trim().Split('\n')[^1])!;
    }
}
