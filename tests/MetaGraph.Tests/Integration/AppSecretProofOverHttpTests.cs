using MetaGraph.Emulator;
using MetaGraph.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MetaGraph.Tests.Integration;

public sealed class AppSecretProofOverHttpTests : EmulatorTest
{
    private const string AppSecret = "emulator-app-secret";

    protected override EmulatorOptions EmulatorOptions => new() { AppSecret = AppSecret };

    private async Task<T> WithClientAsync<T>(Action<MetaGraphOptions> configure, Func<IMetaGraphClient, Task<T>> call)
    {
        await using var services = GraphClients.Register(Server.BaseAddress, configure);
        return await call(services.GetRequiredService<IMetaGraphClient>());
    }

    private Task<GraphResponse<GraphList<Conversation>>> ListAsync(IMetaGraphClient client)
        => client.GetConversationsAsync(Page.AccessToken, Page.PageId, new ConversationsQuery(Platform.Messenger, Limit: 1));

    [Fact]
    public async Task A_proof_made_with_the_app_secret_is_accepted()
    {
        var page = await WithClientAsync(options => options.AppSecret = AppSecret, ListAsync);

        Assert.Single(page.Value.Data);
        Assert.Contains($"appsecret_proof={AppSecretProof.Compute(AppSecret, Page.AccessToken)}", Server.Requests[^1].Query);
    }

    [Fact]
    public async Task A_time_based_proof_is_accepted()
    {
        var page = await WithClientAsync(options =>
        {
            options.AppSecret = AppSecret;
            options.AppSecretProofWithTime = true;
        }, ListAsync);

        Assert.Single(page.Value.Data);
        Assert.Contains("appsecret_time=", Server.Requests[^1].Query);
    }

    [Fact]
    public async Task Batches_carry_the_proof_too()
    {
        var results = await WithClientAsync(options => options.AppSecret = AppSecret, client =>
            client.BatchAsync(Page.AccessToken, [new BatchRequest(RelativeUrl.Conversations(Page.PageId, new(Platform.Messenger, Limit: 1)))]));

        Assert.True(Assert.Single(results.Value).IsSuccess);
    }

    [Fact]
    public async Task A_proof_made_with_another_secret_is_refused()
    {
        var error = await Assert.ThrowsAsync<GraphApiException>(() =>
            WithClientAsync(options => options.AppSecret = "some-other-secret", ListAsync));

        Assert.Equal(100, error.Code);
        Assert.Contains("appsecret_proof", error.Message);
        Assert.DoesNotContain(Page.AccessToken, error.ToString());
        Assert.DoesNotContain(AppSecretProof.Compute("some-other-secret", Page.AccessToken), error.ToString());
    }
}
