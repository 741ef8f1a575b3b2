using System.Net;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>The headers graph.facebook.com answers with (recorded answers of Meta's Node.js business SDK tests and the PHP
/// Graph SDK's batch fixtures): on successes, on errors with <c>WWW-Authenticate</c>, and on each batch item.</summary>
public sealed class MetaHeaderTests : EmulatorTest
{
    [Fact]
    public async Task An_answer_carries_metas_version_ids_revision_and_no_cache_headers()
    {
        var answer = await GetAsync(PageData.Conversations[0].Id);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("application/json; charset=UTF-8", answer.ContentType);
        Assert.Equal(Version, answer.Headers["facebook-api-version"]);
        Assert.Matches("^[A-Za-z0-9]{11}$", answer.Headers["x-fb-trace-id"]);
        Assert.Matches("^[A-Za-z0-9]{11}$", answer.Headers["x-fb-request-id"]);
        Assert.Matches("^[0-9]{10}$", answer.Headers["x-fb-rev"]);
        Assert.Equal(["must-revalidate", "no-cache", "no-store", "private"], answer.Headers["Cache-Control"].Split(", ").Order());
        Assert.Equal("no-cache", answer.Headers["Pragma"]);
        Assert.Equal("*", answer.Headers["Access-Control-Allow-Origin"]);
        Assert.Equal("max-age=15552000; preload", answer.Headers["Strict-Transport-Security"]);
        Assert.False(answer.Headers.ContainsKey("WWW-Authenticate"));
    }

    [Fact]
    public async Task The_version_header_is_the_paths()
    {
        var answer = await GetAsync(PageData.Conversations[0].Id);
        var older = await GetUrlAsync($"v21.0/{PageData.Conversations[0].Id}?access_token={Page.AccessToken}");

        Assert.Equal(Version, answer.Headers["facebook-api-version"]);
        Assert.Equal("v21.0", older.Headers["facebook-api-version"]);
    }

    [Fact]
    public async Task A_refused_token_is_challenged_as_an_invalid_token_and_the_request_id_is_the_trace_id()
    {
        var answer = await GetAsync(Page.PageId, token: "EAAB-not-a-real-token-0123456789");

        var error = answer.AssertError(HttpStatusCode.BadRequest, 190);
        Assert.Equal("OAuth \"Facebook Platform\" \"invalid_token\" \"Invalid OAuth access token - Cannot parse access token\"", answer.Headers["WWW-Authenticate"]);
        Assert.Equal(error["fbtrace_id"]!.GetValue<string>(), answer.Headers["x-fb-request-id"]);
        Assert.Equal("no-store", answer.Headers["Cache-Control"]);
    }

    [Fact]
    public async Task Other_oauth_errors_are_invalid_requests_and_graph_method_errors_have_no_challenge()
    {
        var unknownField = await GetAsync($"{PageData.Conversations[0].Id}?fields=colour");
        var noSuchObject = await GetAsync("t_000000000000000");

        unknownField.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Equal("OAuth \"Facebook Platform\" \"invalid_request\" \"(#100) Tried accessing nonexisting field (colour) on node type (Conversation)\"",
            unknownField.Headers["WWW-Authenticate"]);
        noSuchObject.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.False(noSuchObject.Headers.ContainsKey("WWW-Authenticate"));
        Assert.Equal(Version, noSuchObject.Headers["facebook-api-version"]);
    }

    [Fact]
    public async Task A_challenge_escapes_quotes_and_keeps_to_ascii()
    {
        var person = (await PersonWritesAsync())["userId"]!.GetValue<string>();
        var answer = await GetAsync("?ids=größe");
        var quoted = await SendMessageAsync(new { recipient = new { id = person }, messaging_type = "SOON", message = new { text = "x" } });

        Assert.Equal("OAuth \"Facebook Platform\" \"invalid_request\" \"(#100) param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG} - got \\\"SOON\\\"\"",
            quoted.Headers["WWW-Authenticate"]);
        Assert.Equal("OAuth \"Facebook Platform\" \"invalid_request\" \"(#803) Some of the aliases you requested do not exist: gr??e\"",
            answer.Headers["WWW-Authenticate"]);
    }

    [Fact]
    public async Task A_failed_batch_item_carries_metas_headers_with_its_challenge()
    {
        var old = LongConversation().Messages[InboxData.MessagesWithDetails];

        var answer = await BatchAsync(BatchOf($"v21.0/{old.Id}?fields=message"));

        var item = answer.Json[0]!;
        Assert.Equal(400, item["code"]!.GetValue<int>());
        var headers = item["headers"]!.AsArray().ToDictionary(h => h!["name"]!.GetValue<string>(), h => h!["value"]!.GetValue<string>());
        Assert.Equal("v21.0", headers["Facebook-API-Version"]);
        Assert.Equal("no-store", headers["Cache-Control"]);
        Assert.Equal("OAuth \"Facebook Platform\" \"invalid_request\" \"This Message has been deleted by the user or the business.\"", headers["WWW-Authenticate"]);
        Assert.Equal(9000001, JsonNode.Parse(item["body"]!.GetValue<string>())!["error"]!["error_subcode"]!.GetValue<int>());
    }
}
