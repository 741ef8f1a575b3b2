namespace MetaGraph.Tests;

public sealed class RelativeUrlTests
{
    [Fact]
    public void Conversations_carry_every_given_argument_escaped()
    {
        var query = new ConversationsQuery(Platform.Instagram, UserId: "17841400000000001", Folder: "inbox", Limit: 10,
            After: "QVFI=", Fields: FieldList.Of("id", "updated_time"));

        Assert.Equal("104/conversations?platform=instagram&user_id=17841400000000001&folder=inbox&limit=10&after=QVFI%3D" +
            "&fields=id%2Cupdated_time", RelativeUrl.Conversations("104", query));
    }

    [Fact]
    public void Conversations_default_to_messenger_and_leave_out_missing_arguments()
        => Assert.Equal("104/conversations?platform=messenger", RelativeUrl.Conversations("104", new ConversationsQuery(Platform.Messenger)));

    [Fact]
    public void Edges_and_nodes_escape_ids()
    {
        Assert.Equal("aWdfZA%3D%3D/messages?limit=5&before=B", RelativeUrl.Edge("aWdfZA==", "messages", new PageQuery(5, Before: "B")));
        Assert.Equal("m_1?fields=id%2Cmessage", RelativeUrl.Node("m_1", FieldList.Of("id", "message")));
        Assert.Equal("m_1", RelativeUrl.Node("m_1", null));
    }

    [Fact]
    public void Ids_are_one_comma_separated_parameter_on_the_root()
        => Assert.Equal("?ids=t_1%2Ct_2&fields=id", RelativeUrl.Ids(["t_1", "t_2"], FieldList.Of("id")));

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a.b")]
    [InlineData("t_1/messages")]
    [InlineData("me?x=1")]
    [InlineData("t_1&access_token=x")]
    [InlineData("t_1#x")]
    [InlineData("t_1,t_2")]
    [InlineData("t 1")]
    [InlineData("t_1\u0001")]
    [InlineData("")]
    public void Ids_that_are_not_graph_ids_never_become_a_url(string id)
    {
        Assert.Throws<ArgumentException>(() => RelativeUrl.Conversations(id, new ConversationsQuery(Platform.Messenger)));
        Assert.Throws<ArgumentException>(() => RelativeUrl.Conversations("104", new ConversationsQuery(Platform.Messenger, UserId: id)));
        Assert.Throws<ArgumentException>(() => RelativeUrl.Edge(id, "messages", new PageQuery()));
        Assert.Throws<ArgumentException>(() => RelativeUrl.Node(id, null));
        Assert.Throws<ArgumentException>(() => RelativeUrl.Ids(["t_1", id], null));
    }
}
