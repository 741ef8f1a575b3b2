using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

public sealed class AuthenticationTests : EmulatorTest
{
    [Fact]
    public async Task A_missing_token_is_oauth_error_104_as_meta_answers_it()
    {
        var answer = await GetAsync($"{Page.PageId}/conversations", token: "");

        var error = answer.AssertError(HttpStatusCode.BadRequest, 104);
        Assert.Equal("OAuthException", error["type"]!.GetValue<string>());
        Assert.Equal("An access token is required to request this resource.", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_token_is_an_oauth_error_that_does_not_echo_it()
    {
        const string token = "EAAB-not-a-real-token-0123456789";

        var answer = await GetAsync($"{Page.PageId}/conversations", token);

        Assert.Equal("Invalid OAuth access token - Cannot parse access token",
            answer.AssertError(HttpStatusCode.BadRequest, 190)["message"]!.GetValue<string>());
        Assert.DoesNotContain(token, answer.Body);
    }

    [Fact]
    public async Task A_bearer_header_works_like_the_parameter()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Version}/{Page.PageId}/conversations?limit=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Page.AccessToken);

        var answer = await SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains($"access_token={Page.AccessToken}", answer.Json["paging"]!["next"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_pages_token_cannot_read_this_pages_inbox_conversations_or_messages()
    {
        var other = Server.Seed[1].AccessToken;
        var conversation = PageData.Folder(InboxPlatform.Messenger)[0];

        var inbox = await GetAsync($"{Page.PageId}/conversations", other);
        var node = await GetAsync(conversation.Id, other);
        var edge = await GetAsync($"{conversation.Id}/messages", other);
        var message = await GetAsync(conversation.Messages[0].Id, other);

        inbox.AssertError(HttpStatusCode.Forbidden, 200);
        Assert.All([node, edge, message], answer => Assert.Equal(33, answer.AssertError(HttpStatusCode.BadRequest, 100)["error_subcode"]!.GetValue<int>()));
    }
}

public sealed class AppSecretProofTests : EmulatorTest
{
    private const string AppSecret = "emulator-app-secret";

    protected override EmulatorOptions Options => new() { AppSecret = AppSecret };

    private static string Proof(string signed, string secret = AppSecret)
        => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signed)));

    [Fact]
    public async Task A_proof_of_the_token_is_accepted()
    {
        var answer = await GetAsync($"{Page.PageId}/conversations?limit=1&appsecret_proof={Proof(Page.AccessToken)}");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task A_time_based_proof_is_accepted_while_fresh()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var old = now - 3600;

        var fresh = await GetAsync($"{Page.PageId}?appsecret_proof={Proof($"{Page.AccessToken}|{now}")}&appsecret_time={now}");
        var stale = await GetAsync($"{Page.PageId}?appsecret_proof={Proof($"{Page.AccessToken}|{old}")}&appsecret_time={old}");

        Assert.Equal(HttpStatusCode.OK, fresh.Status);
        stale.AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Theory]
    [InlineData("other-secret")]
    [InlineData("")]
    public async Task A_wrong_or_missing_proof_is_refused(string secret)
    {
        var proof = secret.Length == 0 ? "" : $"&appsecret_proof={Proof(Page.AccessToken, secret)}";

        var answer = await GetAsync($"{Page.PageId}?fields=id{proof}");

        var error = answer.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Equal("GraphMethodException", error["type"]!.GetValue<string>());
        Assert.Contains("appsecret_proof", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_batch_carries_the_proof_in_its_form()
    {
        var form = new Dictionary<string, string>
        {
            ["access_token"] = Page.AccessToken,
            ["appsecret_proof"] = Proof(Page.AccessToken),
            ["batch"] = BatchOf(Page.PageId),
        };

        var answer = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "") { Content = new FormUrlEncodedContent(form) });

        Assert.Equal(200, answer.Json[0]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Paging_links_echo_the_proof()
    {
        var proof = Proof(Page.AccessToken);

        var answer = await GetAsync($"{Page.PageId}/conversations?limit=1&fields=messages.limit(1)&appsecret_proof={proof}");
        var next = answer.Json["paging"]!["next"]!.GetValue<string>();
        var nested = answer.Json["data"]![0]!["messages"]!["paging"]!["next"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.OK, (await GetUrlAsync(next)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetUrlAsync(nested)).Status);
    }
}
