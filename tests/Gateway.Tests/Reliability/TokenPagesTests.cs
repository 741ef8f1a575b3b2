using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Reliability;

public sealed class TokenPagesTests
{
    /// <summary>A forwarded token is charged to its Page, which the gateway asks Meta once (<c>GET /me</c>, not a
    /// conversations call) and then remembers; a configured token's Page is known without asking.</summary>
    [Fact]
    public async Task A_forwarded_tokens_page_is_asked_once_and_a_configured_tokens_page_never()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true);
        var forwarded = host.Emulator.Data.IssueAccessToken(host.Page.PageId);
        var message = host.Emulator.Data.Pages[0].Conversations[0].Messages[0].Id;
        var lookup = $$"""{ message(id: "{{message}}") { id } }""";

        var answers = new[]
        {
            await host.QueryAsync(lookup, token: forwarded),
            await host.QueryAsync(lookup, token: forwarded),
            await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Page.PageId }),
        };

        Assert.All(answers, answer => Assert.Null(answer["errors"]));
        var lookups = host.Emulator.Requests.Where(call => call.IsTokenLookup()).ToList();
        Assert.Single(lookups);
        Assert.Contains("access_token=***", lookups[0].Query);
    }

    [Fact]
    public async Task An_invalid_forwarded_token_fails_with_metas_token_error_before_any_conversations_call()
    {
        await using var host = await GatewayHost.StartAsync();

        var answer = await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Page.PageId }, token: "EAAnotavalidtoken");

        Assert.Equal("META_TOKEN_INVALID", answer.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Empty(host.UpstreamCalls);
    }
}
