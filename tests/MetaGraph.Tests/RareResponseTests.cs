using MetaGraph.Tests.Support;

namespace MetaGraph.Tests;

/// <summary>Response shapes a real Graph API (or the emulator) rarely produces, served by a stub handler.</summary>
public sealed class RareResponseTests
{
    private const string Token = "EAAB-stub-token";

    [Fact]
    public async Task A_non_json_5xx_is_a_transient_service_error_with_its_usage()
    {
        var handler = new StubHttpHandler(_ =>
        {
            var response = StubHttpHandler.Respond(502, "<html><body>Bad Gateway</body></html>", "text/html");
            response.Headers.Add("X-App-Usage", """{"call_count":7,"total_time":1,"total_cputime":1}""");
            return response;
        });

        var error = await Assert.ThrowsAsync<GraphApiException>(() =>
            GraphClients.OverStub(handler).GetNodeAsync<Message>(Token, "m_1", null));

        Assert.Equal(502, error.HttpStatus);
        Assert.Equal(2, error.Code);
        Assert.True(error.IsTransient);
        Assert.Equal(7, error.Usage.App!.CallCount);
        Assert.DoesNotContain(Token, error.ToString());
    }

    [Theory]
    [InlineData("""{"id":"m_1","from":{"name":"No id"}}""")]
    [InlineData("""{"id":"m_1","to":{"data":[{"id":""}]}}""")]
    [InlineData("""{"created_time":"2026-12-07T10:00:00+0000"}""")]
    public async Task An_answer_with_an_object_missing_its_id_is_unreadable_not_an_object_with_an_empty_id(string body)
    {
        var handler = new StubHttpHandler(_ => StubHttpHandler.Respond(200, body));

        var error = await Assert.ThrowsAsync<GraphApiException>(() =>
            GraphClients.OverStub(handler).GetNodeAsync<Message>(Token, "m_1", null));

        Assert.Equal("The Graph API answered HTTP 200 with a body that is not a Message.", error.Message);
    }

    [Fact]
    public async Task A_non_json_4xx_is_not_transient()
    {
        var handler = new StubHttpHandler(_ => StubHttpHandler.Respond(404, "Not Found", "text/plain"));

        var error = await Assert.ThrowsAsync<GraphApiException>(() =>
            GraphClients.OverStub(handler).GetNodeAsync<Message>(Token, "m_1", null));

        Assert.Equal(404, error.HttpStatus);
        Assert.False(error.IsTransientFlag);
    }

    [Fact]
    public async Task A_414_without_a_graph_error_is_a_rejected_request_that_is_not_transient()
    {
        var handler = new StubHttpHandler(_ => StubHttpHandler.Respond(414, "<html>URI Too Long</html>", "text/html"));

        var error = await Assert.ThrowsAsync<GraphApiException>(() =>
            GraphClients.OverStub(handler).GetNodeAsync<Message>(Token, "m_1", null));

        Assert.True(error.IsRequestRejected);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Metas_code_104_is_a_missing_token_not_an_invalid_one()
    {
        var handler = new StubHttpHandler(_ => StubHttpHandler.Respond(400,
            """{"error":{"message":"An access token is required to request this resource.","type":"OAuthException","code":104,"fbtrace_id":"AbCdEf"}}"""));

        var error = await Assert.ThrowsAsync<GraphApiException>(() =>
            GraphClients.OverStub(handler).GetNodeAsync<Message>(Token, "m_1", null));

        Assert.True(error.IsTokenMissing);
        Assert.False(error.IsAuth);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_success_that_is_not_the_expected_shape_is_a_graph_error()
    {
        var handler = new StubHttpHandler(_ => StubHttpHandler.Respond(200, """{"data":"oops"}"""));

        var error = await Assert.ThrowsAsync<GraphApiException>(() =>
            GraphClients.OverStub(handler).GetMessagesAsync(Token, "t_1", new PageQuery()));

        Assert.Equal(200, error.HttpStatus);
        Assert.Contains("GraphList", error.Message);
    }

    [Fact]
    public async Task Malformed_usage_headers_never_fail_a_call()
    {
        var handler = new StubHttpHandler(_ =>
        {
            var response = StubHttpHandler.Respond(200, """{"id":"m_1","created_time":"2022-07-12T19:11:07+0000"}""");
            response.Headers.TryAddWithoutValidation("X-App-Usage", "{call_count:");
            response.Headers.TryAddWithoutValidation("X-Business-Use-Case-Usage", "[]");
            return response;
        });

        var message = await GraphClients.OverStub(handler).GetNodeAsync<Message>(Token, "m_1", null);

        Assert.Equal("m_1", message.Value.Id);
        Assert.Same(GraphUsage.None, message.Usage);
    }

    [Fact]
    public async Task Batch_items_graph_did_not_finish_are_transient_errors_and_the_others_succeed()
    {
        var handler = new StubHttpHandler(_ => StubHttpHandler.Respond(200, """
            [{"code":200,"body":"{\"id\":\"m_1\"}"},null,
             {"code":500,"body":"Internal Server Error"},{"code":502,"body":"{\"error\":\"Bad Gateway\"}"},
             {"code":400,"body":"{\"error\":{\"message\":\"(#100) Tried accessing nonexisting field (x)\",\"type\":\"OAuthException\",\"code\":100,\"fbtrace_id\":\"Ab1\"}}"}]
            """));
        BatchRequest[] requests = [new("m_1"), new("m_2"), new("m_3"), new("m_4"), new("m_5?fields=x"), new("m_6")];

        var results = (await GraphClients.OverStub(handler).BatchAsync(Token, requests)).Value;

        Assert.Equal(6, results.Count);
        Assert.Equal("m_1", GraphJson.Deserialize<Message>(results[0].Body!.Value).Id);
        Assert.True(results[1].Error!.IsTransient);
        Assert.True(results[2].Error!.IsTransient);
        Assert.Equal(500, results[2].StatusCode);
        Assert.Equal(502, results[3].Error!.HttpStatus);
        Assert.True(results[3].Error!.IsTransient);
        Assert.Equal(100, results[4].Error!.Code);
        Assert.Equal("Ab1", results[4].Error!.FbTraceId);
        Assert.False(results[4].Error!.IsTransient);
        // A short answer: the missing item is one Graph did not finish.
        Assert.True(results[5].Error!.IsTransient);
    }

    [Fact]
    public async Task Graph_messages_that_echo_the_token_or_proof_are_redacted()
    {
        var options = new MetaGraphOptions { GraphApiBaseUrl = "https://graph.test", AppSecret = "app-secret" };
        var proof = AppSecretProof.Compute("app-secret", Token);
        var handler = new StubHttpHandler(_ => StubHttpHandler.Respond(400, $$"""
            {"error":{"message":"Malformed access token {{Token}} with proof {{proof}}","type":"OAuthException","code":190,
              "error_user_msg":"Token {{Token}} is invalid"} }
            """));

        var error = await Assert.ThrowsAsync<GraphApiException>(() =>
            GraphClients.OverStub(handler, options).GetNodeAsync<Message>(Token, "m_1", null));

        Assert.True(error.IsAuth);
        Assert.Equal("Malformed access token [redacted] with proof [redacted]", error.Message);
        Assert.Equal("Token [redacted] is invalid", error.UserMessage);
    }
}
