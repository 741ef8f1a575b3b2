using Gateway.Execution;
using Gateway.Tests.Infrastructure;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Api;

public sealed class SchemaSnapshotTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    /// <summary>schema/schema.graphql is the reviewed contract: any change in code must be exported and committed
    /// (<c>dotnet run --project src/Gateway -- schema export --output schema/schema.graphql</c>).</summary>
    [Fact]
    public async Task Schema_matches_the_committed_schema_file()
    {
        var host = await hosts.ForTestAsync();
        var sdl = SchemaSdl.Print(host.Services.GetRequiredService<ISchema>());

        // The contract file itself is the snapshot: no copy or link to keep in step (Snapshooter would write a missing
        // snapshot and pass, which a fresh clone must never do).
        var contract = await File.ReadAllTextAsync(Path.Combine(GatewayHost.RepositoryRoot, "schema", "schema.graphql"));
        Assert.True(contract == sdl, "The schema in code differs from schema/schema.graphql: review the change, then export it with "
            + "`dotnet run --project src/Gateway -- schema export --output schema/schema.graphql`.");
    }

    [Fact]
    public async Task Sdl_endpoint_serves_the_same_schema()
    {
        var host = await hosts.ForTestAsync();

        var sdl = await host.Client.GetStringAsync("/graphql?sdl");

        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(GatewayHost.RepositoryRoot, "schema", "schema.graphql")), sdl);
    }
}
