using System.Text.Json;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Http;

/// <summary>The GraphQL-over-HTTP spec's own audit (npm <c>graphql-http</c>) against the running gateway.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class GraphQLHttpAuditTests(ITestOutputHelper output)
{
    private const string AuditScript = """
        import { auditServer } from 'graphql-http';
        const results = await auditServer({ url: process.env.GRAPHQL_URL });
        console.log(JSON.stringify(results.map(r => ({ id: r.id, name: r.name, status: r.status, reason: r.reason ?? null }))));
        """;

    [Fact]
    public async Task The_audit_reports_no_MUST_failures_and_no_SHOULD_warnings()
    {
        var folder = await NodeTools.InstallAsync(new Dictionary<string, string> { ["graphql-http"] = "1.23.1", ["graphql"] = "16.15.0" });
        await using var host = await GatewayHost.StartAsync();

        var (exitCode, text) = await NodeTools.RunScriptAsync(folder, "audit.mjs", AuditScript,
            new Dictionary<string, string> { ["GRAPHQL_URL"] = new Uri(host.Client.BaseAddress!, "/graphql").ToString() }, TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, text);
        var results = JsonSerializer.Deserialize<List<AuditResult>>(text.Trim().Split('\n')[^1], new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        foreach (var result in results)
        {
            output.WriteLine($"{result.Status,-5} {result.Id} {result.Name}{(result.Reason is null ? "" : " — " + result.Reason)}");
        }
        Assert.True(results.Count >= 30, $"Only {results.Count} audits ran.");
        Assert.DoesNotContain(results, r => r.Status == "error");
        Assert.DoesNotContain(results, r => r.Status == "warn");
    }

    private sealed record AuditResult(string Id, string Name, string Status, string? Reason);
}
