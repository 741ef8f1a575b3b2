using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Sending;

/// <summary>Sender actions through the Send API: marking a conversation seen (any time), typing and reactions (within the
/// person's 24-hour window), each answering the conversation or message as it is after it.</summary>
public sealed class SenderActionTests
{
    [Fact]
    public async Task markConversationSeen_reads_the_persons_messages_and_answers_the_conversation_with_no_unread_left()
    {
        await using var host = await Sends.StartWithWebhooksAsync();
        var written = await host.PersonWritesAsync();
        var before = await host.QueryAsync("query($id: ID!) { conversation(id: $id) { unreadCount } }", new { id = written.ConversationId });

        var answer = await host.QueryAsync("mutation($id: ID!) { markConversationSeen(input: { conversationId: $id }) { conversation { metaId unreadCount } errors { __typename } } }",
            new { id = written.ConversationId });

        Assert.True(before.At("data.conversation.unreadCount")!.GetValue<int>() > 0);
        Assert.Null(answer["errors"]);
        Assert.Null(answer.At("data.markConversationSeen.errors"));
        Assert.Equal(0, answer.At("data.markConversationSeen.conversation.unreadCount")!.GetValue<int>());
        Assert.Equal("mark_seen", Assert.Single(host.Emulator.SentMessages).SenderAction);
    }

    [Fact]
    public async Task setTyping_shows_the_bubble_inside_the_window_and_is_refused_with_OutsideMessagingWindowError_outside_it()
    {
        await using var host = await Sends.StartWithWebhooksAsync();
        var written = await host.PersonWritesAsync();
        // Seeded people wrote before the emulator's seed time, days ago by the wall clock.
        var (quiet, _) = host.Person(conversationIndex: 3);
        const string typing = "mutation($id: ID!, $on: Boolean!) { setTyping(input: { conversationId: $id, on: $on }) { conversation { metaId } errors { __typename } } }";

        var on = await host.QueryAsync(typing, new { id = written.ConversationId, on = true });
        var off = await host.QueryAsync(typing, new { id = written.ConversationId, on = false });
        var outside = await host.QueryAsync(typing, new { id = quiet, on = true });

        Assert.Equal(written.ConversationId, on.At("data.setTyping.conversation.metaId")!.GetValue<string>());
        Assert.Null(off.At("data.setTyping.errors"));
        Assert.Equal("OutsideMessagingWindowError", outside.At("data.setTyping.errors.0.__typename")!.GetValue<string>());
        Assert.Null(outside.At("data.setTyping.conversation"));
        Assert.Equal(["typing_on", "typing_off"], host.Emulator.SentMessages.Select(s => s.SenderAction));
    }

    [Fact]
    public async Task reactToMessage_puts_the_Pages_reaction_on_the_persons_message_and_removeMessageReaction_takes_it_back()
    {
        await using var host = await Sends.StartWithWebhooksAsync();
        var written = await host.PersonWritesAsync();
        const string reactions = "message { metaId reactions { reaction users { metaId } } } errors { __typename }";

        var reacted = await host.QueryAsync($$"""mutation($id: ID!) { reactToMessage(input: { messageId: $id, reaction: LOVE }) { {{reactions}} } }""",
            new { id = written.MessageId });
        var removed = await host.QueryAsync($$"""mutation($id: ID!) { removeMessageReaction(input: { messageId: $id }) { {{reactions}} } }""",
            new { id = written.MessageId });

        Assert.Null(reacted["errors"]);
        var love = Assert.Single(reacted.At("data.reactToMessage.message.reactions")!.AsArray())!;
        Assert.Equal("love", love["reaction"]!.GetValue<string>());
        Assert.Equal(host.Page.PageId, love.At("users.0.metaId")!.GetValue<string>());
        Assert.Empty(removed.At("data.removeMessageReaction.message.reactions")?.AsArray() ?? []);
        Assert.Equal([("react", "love"), ("unreact", null)], host.Emulator.SentMessages.Select(s => (s.SenderAction, s.Reaction)));
        Assert.All(host.Emulator.SentMessages, sent => Assert.Equal(written.MessageId, sent.MessageId));
    }
}
