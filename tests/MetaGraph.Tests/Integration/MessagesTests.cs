namespace MetaGraph.Tests.Integration;

public sealed class MessagesTests : EmulatorTest
{
    private static readonly FieldList Details = FieldList.Of("id", "created_time", "from", "to", "message");

    /// <summary>A conversation with more than 20 messages and every message id in it, as listed (newest first).</summary>
    private async Task<(Conversation Conversation, List<Message> Messages)> LongConversationAsync()
    {
        var conversations = await Client.GetConversationsAsync(Page.AccessToken, Page.PageId,
            new ConversationsQuery(Platform.Messenger, Limit: 100, Fields: FieldList.Of("id", "message_count")));
        var conversation = conversations.Value.Data.First(c => c.MessageCount > 20);

        var messages = new List<Message>();
        string? after = null;
        do
        {
            var page = (await Client.GetMessagesAsync(Page.AccessToken, conversation.Id, new PageQuery(Limit: 25, After: after))).Value;
            messages.AddRange(page.Data);
            after = page.Paging is { HasNext: true } ? page.Paging.Cursors?.After : null;
        }
        while (after is not null);
        return (conversation, messages);
    }

    [Fact]
    public async Task Lists_every_message_of_a_conversation_newest_first()
    {
        var (conversation, messages) = await LongConversationAsync();

        Assert.Equal(conversation.MessageCount, messages.Count);
        Assert.Equal(Server.Data.FindConversation(conversation.Id)!.Messages.Select(m => m.Id), messages.Select(m => m.Id));
        Assert.Equal(messages.OrderByDescending(m => m.CreatedTime).Select(m => m.Id), messages.Select(m => m.Id));
    }

    [Fact]
    public async Task Reads_the_details_of_the_20_newest_messages_in_one_call()
    {
        var (_, messages) = await LongConversationAsync();
        var newest = messages.Take(20).Select(m => m.Id).ToList();
        Server.ResetRequests();

        var details = (await Client.GetByIdsAsync<Message>(Page.AccessToken, newest, Details)).Value;

        Assert.Single(Server.Requests);
        Assert.Equal(newest.Order(), details.Keys.Order());
        Assert.All(details.Values, message =>
        {
            Assert.NotNull(message.From);
            Assert.NotNull(message.Text);
            Assert.NotEmpty(message.To!.Data);
        });
    }

    [Fact]
    public async Task The_21st_newest_message_is_reported_deleted()
    {
        var (_, messages) = await LongConversationAsync();

        var newest = await Client.GetNodeAsync<Message>(Page.AccessToken, messages[19].Id, Details);
        var error = await Assert.ThrowsAsync<GraphApiException>(() =>
            Client.GetNodeAsync<Message>(Page.AccessToken, messages[20].Id, Details));

        Assert.Equal(messages[19].Id, newest.Value.Id);
        Assert.True(error.IsDeletedMessage);
        Assert.False(error.IsTransient);
        Assert.DoesNotContain(Page.AccessToken, error.ToString());
    }
}
