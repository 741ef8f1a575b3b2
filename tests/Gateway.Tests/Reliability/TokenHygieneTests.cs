using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Reliability;

public sealed class TokenHygieneTests
{
    /// <summary>Successes, Graph errors and bad tokens all pass through the gateway; no log line at any level, and no
    /// response, carries a token.</summary>
    [Fact]
    public async Task Tokens_never_reach_logs_or_responses()
    {
        await using var host = await GatewayHost.StartAsync();
        const string wrongToken = "EAAWrongTokenThatMustStayPrivate0123456789";
        var responses = new List<string>();
        foreach (var page in host.Emulator.Seed)
        {
            responses.Add((await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = page.PageId }, page.AccessToken)).ToJsonString());
            responses.Add((await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = page.PageId }, wrongToken)).ToJsonString());
        }
        responses.Add((await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Emulator.Seed[1].PageId }, host.Page.AccessToken)).ToJsonString());

        Assert.NotEmpty(host.Logs.Lines);
        foreach (var token in host.Emulator.Seed.Select(p => p.AccessToken).Append(wrongToken))
        {
            Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(token, StringComparison.Ordinal));
            Assert.DoesNotContain(responses, response => response.Contains(token, StringComparison.Ordinal));
        }
    }
}
