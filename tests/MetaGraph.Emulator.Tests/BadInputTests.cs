using System.Net;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>Whatever the input, the answer is a Graph-shaped 4xx: never a 500, an HTML page or a stack trace.</summary>
public sealed class BadInputTests : EmulatorTest
{
    public static TheoryData<string> BadReads => new()
    {
        "104000000000001/conversations?after=garbage",
        "104000000000001/conversations?before=%FF%FE",
        "104000000000001/conversations?limit=-1",
        "104000000000001/conversations?limit=ten",
        "104000000000001/conversations?limit=1&limit=2",
        "104000000000001/conversations?platform=whatsapp",
        "104000000000001/conversations?folder=archive",
        "104000000000001/conversations?fields=id,,{",
        "104000000000001/conversations?fields=messages.limit(-5)",
        "104000000000001/conversations?fields=messages.first(5)",
        "104000000000001/conversations?fields=messages{}",
        "104000000000001/conversations?fields=id{name}",
        "104000000000001/conversations?fields=messages{from{name{x}}}",
        "104000000000001/conversations?fields=" + "messages{attachments{image_data{url{a{b}}}}}",
        "104000000000001/conversations?fields=%00",
        "104000000000001/conversations/extra/segments",
        "104000000000001/nonexisting_edge",
        "?ids=%00,%FF%FE,%E2%28%A1",
        "?ids=t_1%00",
        "?ids=",
        "?ids=,,,",
        "",
        "m_%FF",
    };

    [Theory]
    [MemberData(nameof(BadReads))]
    public async Task Bad_reads_are_graph_errors(string relativeUrl)
    {
        var answer = await GetAsync(relativeUrl);

        AssertGraphClientError(answer);
    }

    [Fact]
    public async Task A_null_byte_in_the_path_is_refused_by_kestrel_before_any_graph_code()
    {
        // Kestrel rejects the request target at protocol level, with an empty 400; nothing of the app runs.
        var answer = await GetAsync("t_%00");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Empty(answer.Body);
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task Huge_and_deep_fields_are_graph_errors()
    {
        var huge = await GetAsync($"{Page.PageId}/conversations?fields={string.Join(',', Enumerable.Repeat("id", 2100))}");
        var deep = await GetAsync($"{Page.PageId}/conversations?fields=messages{{from{{id{{a{{b{{c{{d}}}}}}}}}}}}");

        Assert.Contains("too long", huge.AssertError(HttpStatusCode.BadRequest, 100)["message"]!.GetValue<string>());
        Assert.Contains("too deeply", deep.AssertError(HttpStatusCode.BadRequest, 100)["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fifty_one_ids_are_a_graph_error()
    {
        var answer = await GetAsync($"?ids={string.Join(',', Enumerable.Range(1, 51).Select(i => $"t_{i}"))}");

        answer.AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Theory]
    [InlineData("v25/104000000000001")]
    [InlineData("25.0/104000000000001")]
    [InlineData("v25.0.1/104000000000001")]
    [InlineData("vX.Y/104000000000001")]
    [InlineData("104000000000001/conversations")]
    [InlineData("")]
    [InlineData("_emulator/unknown")]
    public async Task Paths_without_a_version_are_graph_errors(string path)
    {
        var answer = await GetUrlAsync($"{path}?access_token={Page.AccessToken}");

        AssertGraphClientError(answer);
    }

    [Theory]
    [InlineData("v1.0")]
    [InlineData("v21.0")]
    [InlineData("v26.0")]
    [InlineData("v99.9")]
    public async Task Any_version_number_is_served(string version)
    {
        var answer = await GetUrlAsync($"{version}/{Page.PageId}?access_token={Page.AccessToken}");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("POST")]
    public async Task Writes_to_nodes_are_graph_errors(string method)
    {
        var answer = await SendAsync(new HttpRequestMessage(new HttpMethod(method), $"{Version}/{Page.PageId}?access_token={Page.AccessToken}"));

        AssertGraphClientError(answer);
    }

    [Fact]
    public async Task A_form_that_is_not_a_form_is_a_graph_error()
    {
        var content = new ByteArrayContent([0xFF, 0x00, 0xFE, (byte)'%', (byte)'=', 0x00]);
        content.Headers.ContentType = new("application/x-www-form-urlencoded");

        var answer = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "") { Content = content });

        AssertGraphClientError(answer);
    }

    private static void AssertGraphClientError(GraphAnswer answer)
    {
        Assert.True((int)answer.Status is >= 400 and < 500, $"HTTP {(int)answer.Status}: {answer.Body}");
        Assert.StartsWith("application/json", answer.ContentType);
        GraphAnswer.AssertGraphErrorShape(answer.Json);
        Assert.DoesNotContain("Exception:", answer.Body);
        Assert.DoesNotContain("<html", answer.Body, StringComparison.OrdinalIgnoreCase);
    }
}
