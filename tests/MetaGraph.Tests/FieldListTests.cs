namespace MetaGraph.Tests;

public sealed class FieldListTests
{
    [Fact]
    public void Renders_scalar_fields_in_the_order_they_were_added()
        => Assert.Equal("id,updated_time,snippet", FieldList.Of("id", "updated_time", "snippet").ToString());

    [Fact]
    public void Keeps_a_repeated_field_once()
        => Assert.Equal("id,created_time", FieldList.Of("id", "created_time", "id").ToString());

    [Fact]
    public void Renders_an_edge_with_its_limit_and_fields()
    {
        var fields = FieldList.Of("id", "updated_time")
            .AddEdge("messages", FieldList.Of("id", "created_time", "from", "to", "message"), limit: 20);

        Assert.Equal("id,updated_time,messages.limit(20){id,created_time,from,to,message}", fields.ToString());
    }

    [Fact]
    public void Renders_nested_edges_and_cursor_modifiers()
    {
        var attachments = FieldList.Of("id").AddEdge("attachments", FieldList.Of("id", "mime_type"));
        var fields = FieldList.Of("id").AddEdge("messages", attachments, limit: 5, after: "QVFIUkdq");

        Assert.Equal("id,messages.limit(5).after(QVFIUkdq){id,attachments{id,mime_type}}", fields.ToString());
        Assert.Equal("messages.before(QVFIUmUx)", FieldList.Empty.AddEdge("messages", before: "QVFIUmUx").ToString());
    }

    [Fact]
    public void An_edge_without_fields_renders_without_braces()
        => Assert.Equal("messages.limit(3)", FieldList.Empty.AddEdge("messages", FieldList.Empty, limit: 3).ToString());

    [Fact]
    public void A_later_edge_with_the_same_name_replaces_the_earlier_one()
    {
        var fields = FieldList.Of("id").AddEdge("messages", limit: 10).Add("snippet").AddEdge("messages", limit: 25);

        Assert.Equal("id,snippet,messages.limit(25)", fields.ToString());
    }

    [Fact]
    public void Is_immutable()
    {
        var original = FieldList.Of("id");
        var extended = original.Add("snippet").AddEdge("messages", limit: 1);

        Assert.Equal("id", original.ToString());
        Assert.Equal("id,snippet,messages.limit(1)", extended.ToString());
        Assert.True(FieldList.Empty.IsEmpty);
        Assert.False(original.IsEmpty);
    }

    [Fact]
    public void Knows_its_top_level_names()
    {
        var fields = FieldList.Of("id").AddEdge("messages", FieldList.Of("created_time"));

        Assert.Equal(["id", "messages"], fields.Names);
        Assert.True(fields.Contains("messages"));
        Assert.False(fields.Contains("created_time"));
    }

    [Fact]
    public void Equal_when_they_render_the_same()
    {
        var a = FieldList.Of("id").AddEdge("messages", FieldList.Of("id"), limit: 2);
        var b = FieldList.Of("id").AddEdge("messages", FieldList.Of("id"), limit: 2);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, FieldList.Of("id"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Id")]
    [InlineData("id,name")]
    [InlineData("messages{id}")]
    [InlineData("messages.limit(2)")]
    [InlineData("created time")]
    public void Refuses_what_is_not_a_field_name(string name)
    {
        Assert.Throws<ArgumentException>(() => FieldList.Of(name));
        Assert.Throws<ArgumentException>(() => FieldList.Empty.AddEdge(name));
    }

    [Theory]
    [InlineData("abc)")]
    [InlineData("a{b")]
    [InlineData("a,b")]
    [InlineData("a&b")]
    [InlineData("a b")]
    public void Refuses_cursors_that_would_break_the_expansion_syntax(string cursor)
    {
        Assert.Throws<ArgumentException>(() => FieldList.Empty.AddEdge("messages", after: cursor));
        Assert.Throws<ArgumentException>(() => FieldList.Empty.AddEdge("messages", before: cursor));
    }

    [Fact]
    public void Refuses_a_negative_limit()
        => Assert.Throws<ArgumentOutOfRangeException>(() => FieldList.Empty.AddEdge("messages", limit: -1));
}
