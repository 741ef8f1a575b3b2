using Gateway.Api;
using Gateway.Tests.Infrastructure;
using MetaGraph;

namespace Gateway.Tests.Errors;

/// <summary>Graph refusing a request as sent (an oversized token makes its URL too long) is the caller's to fix.</summary>
public sealed class RejectedRequestTests
{
    [Fact]
    public async Task A_20_kb_bearer_token_is_the_callers_fault_and_is_sent_once()
    {
        // The resilience pipeline logs each attempt at Information, which the console leaves out by default.
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Logging:LogLevel:Polly"] = "Information" });
        var token = "EAAB" + new string('x', 20 * 1024);

        var result = await host.QueryAsync($$"""{ page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER) { nodes { id } } } }""", token: token);

        var error = Assert.Single(result["errors"]!.AsArray());
        Assert.Equal("UPSTREAM_REQUEST_REJECTED", error.At("extensions.code")!.GetValue<string>());
        Assert.Equal(414, error.At("extensions.httpStatus")!.GetValue<int>());
        Assert.DoesNotContain("xxxxxxxxxx", result.ToJsonString());
        // The emulator's server refuses the URL before the emulator logs it, so the resilience pipeline's log counts the attempts.
        Assert.Single(host.Logs.Lines, line => line.Contains("Execution attempt") && line.Contains("Result: '414'"));
    }

    [Fact]
    public void Metas_missing_token_code_104_is_token_missing_not_token_invalid()
    {
        var error = GatewayError.FromGraph(new GraphApiException(400, 104, null, "OAuthException",
            "An access token is required to request this resource.", "AbC", isTransient: false));

        Assert.Equal("META_TOKEN_MISSING", error.Code);
    }
}
