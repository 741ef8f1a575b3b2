namespace MetaGraph.Tests;

public sealed class UsageHeadersTests
{
    private static GraphUsage Read(params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }
        return UsageHeaders.Read(response.Headers);
    }

    [Fact]
    public void Reads_app_usage()
        => Assert.Equal(new AppUsage(28, 25, 24), Read(("X-App-Usage", """{"call_count":28,"total_time":25,"total_cputime":24}""")).App);

    [Fact]
    public void Reads_business_use_case_usage_with_the_wait_in_minutes()
    {
        var usage = Read(("X-Business-Use-Case-Usage",
            """{"104":[{"type":"messenger","call_count":100,"total_cputime":25,"total_time":30,"estimated_time_to_regain_access":19}],"17841400000000001":[]}"""));

        Assert.Null(usage.App);
        Assert.Equal(new BusinessUseCaseUsage("messenger", 100, 30, 25, TimeSpan.FromMinutes(19)), Assert.Single(usage.BusinessUseCase["104"]));
        Assert.Empty(usage.BusinessUseCase["17841400000000001"]);
    }

    [Fact]
    public void Without_headers_there_is_no_usage()
        => Assert.Same(GraphUsage.None, Read());

    [Theory]
    [InlineData("X-App-Usage", "call_count=28")]
    [InlineData("X-App-Usage", "[1,2]")]
    [InlineData("X-App-Usage", """{"call_count":"many"}""")]
    [InlineData("X-App-Usage", """{"call_count":28.5}""")]
    [InlineData("X-App-Usage", "")]
    [InlineData("X-Business-Use-Case-Usage", """{"104":{"type":"messenger"}}""")]
    [InlineData("X-Business-Use-Case-Usage", "{\"104\":[")]
    public void Malformed_headers_are_ignored(string name, string value)
        => Assert.Same(GraphUsage.None, Read((name, value)));

    [Fact]
    public void Null_entries_are_skipped()
    {
        var usage = Read(("X-Business-Use-Case-Usage", """{"104":null,"105":[null,{"type":"pages","call_count":3}]}"""));

        Assert.Empty(usage.BusinessUseCase["104"]);
        Assert.Equal(3, Assert.Single(usage.BusinessUseCase["105"]).CallCount);
    }

    [Fact]
    public void Combining_keeps_the_highest_figures()
    {
        var first = new GraphUsage(new AppUsage(10, 50, 5), new Dictionary<string, IReadOnlyList<BusinessUseCaseUsage>>
        {
            ["104"] = [new("messenger", 40, 1, 1, TimeSpan.Zero)],
        });
        var second = new GraphUsage(new AppUsage(20, 30, 6), new Dictionary<string, IReadOnlyList<BusinessUseCaseUsage>>
        {
            ["104"] = [new("messenger", 90, 2, 0, TimeSpan.FromMinutes(3)), new("pages", 1, 1, 1, TimeSpan.Zero)],
            ["105"] = [new("messenger", 5, 5, 5, TimeSpan.Zero)],
        });

        var combined = UsageHeaders.Combine([first, GraphUsage.None, second]);

        Assert.Equal(new AppUsage(20, 50, 6), combined.App);
        Assert.Equal(new BusinessUseCaseUsage("messenger", 90, 2, 1, TimeSpan.FromMinutes(3)), combined.BusinessUseCase["104"][0]);
        Assert.Equal(2, combined.BusinessUseCase["104"].Count);
        Assert.Single(combined.BusinessUseCase["105"]);
        Assert.Same(GraphUsage.None, UsageHeaders.Combine([GraphUsage.None, GraphUsage.None]));
    }
}
