using MetaGraph.Emulator;

namespace MetaGraph.Tests.Integration;

public sealed class RateLimitTests : EmulatorTest
{
    [Fact]
    public async Task A_burst_over_the_limit_is_rate_limited_with_usage_headers()
    {
        Server.Configure(new EmulatorRuntimeConfig(RateLimitPerSecond: 2));
        Server.ResetRequests();

        var calls = Enumerable.Range(0, 8).Select(_ =>
            Client.GetConversationsAsync(Page.AccessToken, Page.PageId, new ConversationsQuery(Platform.Messenger, Limit: 1)));
        var outcomes = await Task.WhenAll(calls.Select(async call =>
        {
            try
            {
                await call;
                return null;
            }
            catch (GraphApiException error)
            {
                return error;
            }
        }));

        // A rate-limit error is an answer (HTTP 400): each call went out exactly once, never retried.
        Assert.Equal(8, Server.Requests.Count);
        var limited = outcomes.OfType<GraphApiException>().ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, error =>
        {
            Assert.True(error.IsRateLimit, $"code {error.Code}: {error.Message}");
            Assert.False(error.IsTransient);
            Assert.DoesNotContain(Page.AccessToken, error.ToString());
        });
        Assert.True(limited[0].Usage.App!.CallCount >= 100);
        var usage = limited[0].Usage.BusinessUseCase[Page.PageId].Single();
        Assert.True(usage.CallCount >= 100, $"call_count {usage.CallCount}");
        Assert.True(usage.EstimatedTimeToRegainAccess > TimeSpan.Zero);
    }
}
