using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MetaGraph.Tests;

public sealed class MetaGraphOptionsTests
{
    private static ServiceProvider Register(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddMetaGraphClient(configuration).Services.BuildServiceProvider();
    }

    [Fact]
    public void Defaults_to_the_public_graph_api()
    {
        var options = new MetaGraphOptions();

        Assert.Equal(new Uri("https://graph.facebook.com/v25.0/"), options.VersionedBaseAddress);
        Assert.Null(options.AppSecret);
        Assert.False(options.AppSecretProofWithTime);
    }

    [Fact]
    public void Binds_the_meta_section_and_ignores_the_gateways_page_tokens()
    {
        using var provider = Register(new()
        {
            ["Meta:GraphApiBaseUrl"] = "http://127.0.0.1:5099/",
            ["Meta:GraphApiVersion"] = "v26.0",
            ["Meta:AppSecret"] = "app-secret",
            ["Meta:AppSecretProofWithTime"] = "true",
            ["Meta:Pages:104:AccessToken"] = "EAAB-page-token",
        });

        var options = provider.GetRequiredService<IOptions<MetaGraphOptions>>().Value;

        Assert.Equal(new Uri("http://127.0.0.1:5099/v26.0/"), options.VersionedBaseAddress);
        Assert.Equal("app-secret", options.AppSecret);
        Assert.True(options.AppSecretProofWithTime);
    }

    [Fact]
    public void Registers_a_typed_client_at_the_versioned_base_address()
    {
        using var provider = Register(new() { ["Meta:GraphApiBaseUrl"] = "http://127.0.0.1:5099/graph" });

        Assert.IsType<MetaGraphClient>(provider.GetRequiredService<IMetaGraphClient>());
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(IMetaGraphClient));
        Assert.Equal(new Uri("http://127.0.0.1:5099/graph/v25.0/"), http.BaseAddress);
        Assert.Equal(HttpVersionPolicy.RequestVersionOrLower, http.DefaultVersionPolicy);
    }

    [Fact]
    public void Reads_and_sends_each_have_one_client_for_the_whole_process_on_pipelines_of_their_own()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        using var provider = new ServiceCollection().AddLogging().AddMetaGraphClient(configuration).Services.AddMetaSendClient().Services
            .BuildServiceProvider();
        using var first = provider.CreateScope();
        using var second = provider.CreateScope();

        var reads = first.ServiceProvider.GetRequiredService<IMetaGraphClient>();
        var sends = first.ServiceProvider.GetRequiredService<IMetaSendClient>();

        Assert.Same(reads, second.ServiceProvider.GetRequiredService<IMetaGraphClient>());
        Assert.Same(sends, second.ServiceProvider.GetRequiredService<IMetaSendClient>());
        Assert.NotSame(reads, sends);
    }

    [Theory]
    [InlineData("Meta:GraphApiBaseUrl", "graph.facebook.com", "GraphApiBaseUrl")]
    [InlineData("Meta:GraphApiBaseUrl", "ftp://graph.example", "GraphApiBaseUrl")]
    [InlineData("Meta:GraphApiBaseUrl", "https://graph.example?x=1", "GraphApiBaseUrl")]
    [InlineData("Meta:GraphApiVersion", "25.0", "GraphApiVersion")]
    [InlineData("Meta:GraphApiVersion", "v25", "GraphApiVersion")]
    [InlineData("Meta:GraphApiVersion", "v25.0/", "GraphApiVersion")]
    public void Invalid_options_fail_with_a_message_naming_the_setting(string key, string value, string setting)
    {
        using var provider = Register(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IMetaGraphClient>());
        Assert.Contains($"Meta:{setting}", error.Message);
    }
}
