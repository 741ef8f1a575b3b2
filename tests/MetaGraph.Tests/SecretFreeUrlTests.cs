using MetaGraph.Json;

namespace MetaGraph.Tests;

public sealed class SecretFreeUrlTests
{
    [Theory]
    [InlineData("https://graph.facebook.com/v25.0/104/conversations?access_token=EAAB&platform=messenger&limit=25&after=QVFI",
        "https://graph.facebook.com/v25.0/104/conversations?platform=messenger&limit=25&after=QVFI")]
    [InlineData("https://h/v25.0/t_1/messages?limit=10&appsecret_proof=ab12&access_token=EAAB&appsecret_time=17&before=X",
        "https://h/v25.0/t_1/messages?limit=10&before=X")]
    [InlineData("https://h/v25.0/t_1/messages?access_token=EAAB", "https://h/v25.0/t_1/messages")]
    [InlineData("https://h/v25.0/t_1/messages?ACCESS_TOKEN=EAAB&limit=1#frag", "https://h/v25.0/t_1/messages?limit=1#frag")]
    [InlineData("https://h/v25.0/t_1/messages?access%5Ftoken=EAAB&limit=1", "https://h/v25.0/t_1/messages?limit=1")]
    [InlineData("https://h/v25.0/t_1/messages?limit=10&after=QVFI%3D", "https://h/v25.0/t_1/messages?limit=10&after=QVFI%3D")]
    [InlineData("https://h/v25.0/t_1/messages", "https://h/v25.0/t_1/messages")]
    public void Drops_only_the_credentials(string url, string expected)
    {
        Assert.Equal(expected, SecretFreeUrl.Strip(url));
        Assert.Equal(expected, SecretFreeUrl.Strip(url.AsSpan()));
        Assert.False(SecretFreeUrl.HasSecrets(expected));
    }

    [Fact]
    public void A_paging_url_escaped_as_graph_writes_it_is_read_without_its_credentials()
    {
        var paging = GraphJson.Deserialize<GraphPaging>(System.Text.Json.JsonDocument.Parse("""
            {"next":"https:\/\/h\/v25.0\/t_1\/messages?access_token=EAAB\u0026limit=1\u0026after=QVFI"}
            """).RootElement);

        Assert.Equal("https://h/v25.0/t_1/messages?limit=1&after=QVFI", paging.Next);
    }

    [Fact]
    public void Keeps_parameters_whose_names_merely_contain_a_secret_name()
        => Assert.False(SecretFreeUrl.HasSecrets("https://h/x?my_access_token_hint=1"));
}
