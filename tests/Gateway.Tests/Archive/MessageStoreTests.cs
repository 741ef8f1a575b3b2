using Gateway.Tests.Infrastructure;
using Gateway.Archive;
using MetaGraph;
using static Gateway.Tests.Archive.ArchiveTestData;

namespace Gateway.Tests.Archive;

/// <summary>Writes by Meta's id (idempotent, merging, concurrent) and the reads the gateway serves from them.</summary>
public abstract class MessageStoreTests(IArchiveDatabases databases) : ArchiveTests(databases)
{
    [Fact]
    public async Task A_thousand_events_with_duplicates_leave_one_row_per_message()
    {
        var archive = await ArchiveAsync();
        var events = Enumerable.Range(0, 1000)
            .Select(index => Message($"m_{index % 400}", $"text {index % 400}", Start.AddSeconds(index % 400))).ToList();
        foreach (var batch in events.Chunk(130))
        {
            await archive.UpsertMessagesAsync(batch);
        }
        await archive.UpsertMessagesAsync(events);

        Assert.Equal(400, await archive.CountMessagesAsync("t_1"));
        var stored = await archive.GetMessagesAsync([.. Enumerable.Range(0, 400).Select(index => $"m_{index}")]);
        Assert.Equal(400, stored.Count);
        Assert.All(stored, pair => Assert.Equal($"text {pair.Key[2..]}", pair.Value.Message.Text));
    }

    [Fact]
    public async Task A_fuller_copy_fills_fields_and_a_thinner_one_erases_nothing()
    {
        var archive = await ArchiveAsync();
        await archive.UpsertMessagesAsync([Message("m_1", "hola", source: MessageSources.Webhook)]);
        Clock.Advance(TimeSpan.FromMinutes(5));
        await archive.UpsertMessagesAsync([Message("m_1", "hola", source: MessageSources.GraphRead) with
        {
            From = new Participant { Id = "person_1", Name = "Zoë Díaz" },
            To = [new Participant { Id = PageId, Name = "The Page" }],
            Attachments = [new Attachment { Id = "a_1", MimeType = "image/png", ImageData = new ImageData { Url = "https://cdn/a.png", Width = 4 } }],
            Reactions = [new Reaction { Name = "❤", Users = [new Participant { Id = PageId }] }],
            Tags = [new MessageTag { Name = "inbox" }],
            ReplyTo = new ReplyTo { Mid = "m_0", IsSelfReply = false },
            Story = new MessageStory { Mention = new StoryReference { Id = "s_1", Link = "https://cdn/s" } },
            Shares = [new Share { Link = "https://cdn/share" }],
            Sticker = "https://cdn/sticker",
        }]);
        Clock.Advance(TimeSpan.FromMinutes(5));
        await archive.UpsertMessagesAsync([Message("m_1", null, Start.AddSeconds(30), source: MessageSources.Send)]);

        var stored = (await archive.GetMessagesAsync(["m_1"]))["m_1"];
        var message = stored.Message;
        Assert.Equal(("hola", "Zoë Díaz", PageId, "https://cdn/a.png", 4), (message.Text, message.From!.Name, message.To![0].Id,
            message.Attachments![0].ImageData!.Url, message.Attachments[0].ImageData!.Width));
        Assert.Equal(("❤", "inbox", "m_0", "s_1", "https://cdn/share", "https://cdn/sticker"), (message.Reactions![0].Name,
            message.Tags![0].Name, message.ReplyTo!.Mid, message.Story!.Mention!.Id, message.Shares![0].Link, message.Sticker));
        Assert.Equal(MessageSources.Webhook | MessageSources.GraphRead | MessageSources.Send, message.Sources);
        Assert.Equal(Start, message.CreatedTime);
        Assert.Equal((Start, Start.AddMinutes(10)), (stored.FirstSeen, stored.LastSeen));
    }

    [Fact]
    public async Task Text_with_nul_characters_is_stored_without_them_and_fails_nothing_else_in_its_batch()
    {
        var archive = await ArchiveAsync(Message("m_1", "before\0after") with { From = new Participant { Id = "person_1", Name = "Zo\0ë" } },
            Message("m_2", "\0"), Message("m_3", "plain"));
        await archive.UpsertConversationsAsync([Conversation("t_1", new Participant { Id = "person_1", Name = "Zo\0ë", Username = "\0" })]);

        var stored = await archive.GetMessagesAsync(["m_1", "m_2", "m_3"]);
        var person = (await archive.GetConversationAsync("t_1"))!.Participants.Single();

        Assert.Equal(("beforeafter", "Zoë", null, "plain"), (stored["m_1"].Message.Text, stored["m_1"].Message.From!.Name,
            stored["m_2"].Message.Text, stored["m_3"].Message.Text));
        Assert.Equal(("Zoë", null), (person.Name, person.Username));
    }

    [Fact]
    public async Task A_message_marked_deleted_stays_deleted_and_never_gets_its_content_back()
    {
        var archive = await ArchiveAsync();
        await archive.UpsertMessagesAsync([Message("m_1", "secret", source: MessageSources.GraphRead)]);
        await archive.UpsertMessagesAsync([Message("m_1", "secret") with { Deleted = true }]);
        await archive.UpsertMessagesAsync([Message("m_1", "secret", source: MessageSources.GraphRead) with
        {
            Attachments = [new Attachment { Id = "a_1" }],
            Sticker = "https://cdn/sticker",
        }]);
        await archive.UpsertMessagesAsync([Message("m_2", "never stored") with { Deleted = true }]);

        var stored = await archive.GetMessagesAsync(["m_1", "m_2"]);
        Assert.All(stored.Values, message => Assert.Equal((true, null, null, null),
            (message.Message.Deleted, message.Message.Text, message.Message.Attachments, message.Message.Sticker)));
        Assert.Equal(0, await archive.CountMessagesAsync("t_1"));
    }

    [Fact]
    public async Task Two_writers_on_separate_contexts_writing_overlapping_batches_at_once_store_each_message_once()
    {
        var (a, b) = await InstancesAsync();
        var writers = new[] { a, b };
        var messages = Enumerable.Range(0, 600).Select(index => Message($"m_{index:D3}", $"text {index}", Start.AddSeconds(index))).ToList();
        await Task.WhenAll(writers.Select((writer, number) => Task.Run(async () =>
        {
            // Both write every message, in different batch splits and orders.
            foreach (var batch in (number == 0 ? messages : Enumerable.Reverse(messages)).Chunk(50 + number * 25))
            {
                await writer.UpsertMessagesAsync(batch);
            }
        })));

        Assert.Equal(600, await writers[0].CountMessagesAsync("t_1"));
        Assert.Equal("text 599", (await writers[1].GetMessagesAsync(["m_599"]))["m_599"].Message.Text);
    }

    [Fact]
    public async Task A_conversation_keeps_its_latest_updated_time_and_gathers_participants_without_losing_names()
    {
        var archive = await ArchiveAsync();
        await archive.UpsertConversationsAsync([Conversation("t_1", new Participant { Id = "person_1", Name = "Zoë" }) with { UpdatedTime = Start.AddHours(1) }]);
        await archive.UpsertConversationsAsync([Conversation("t_1", new Participant { Id = "person_1" }, new Participant { Id = PageId, Name = "The Page" })]);

        var conversation = await archive.GetConversationAsync("t_1");
        Assert.Equal(Start.AddHours(1), conversation!.UpdatedTime);
        Assert.Equal([("page_1", "The Page"), ("person_1", "Zoë")], conversation.Participants.Select(person => (person.Id, person.Name)));
        Assert.Null(await archive.GetConversationAsync("t_unknown"));
    }

    [Fact]
    public async Task A_thread_pages_newest_first_through_its_whole_history_and_new_messages_never_shift_the_next_page()
    {
        var archive = await ArchiveAsync();
        // 45 messages, five of them sharing one second: the id breaks the tie.
        await archive.UpsertMessagesAsync([.. Enumerable.Range(0, 45).Select(index => Message($"m_{index:D2}", $"{index}", Start.AddSeconds(Math.Min(index, 40))))]);
        await archive.UpsertMessagesAsync([Message("m_other", "elsewhere", conversationId: "t_2")]);

        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await archive.GetThreadAsync("t_1", 10, after);
            seen.AddRange(page.Edges.Select(edge => edge.Node.Message.Id));
            after = page.HasNextPage ? page.EndCursor : null;
            // New messages arrive between pages.
            await archive.UpsertMessagesAsync([Message($"m_new_{seen.Count}", "new", Start.AddHours(1))]);
        }
        while (after is not null);

        Assert.Equal(Enumerable.Range(0, 45).Reverse().Select(index => $"m_{index:D2}"), seen);
    }

    [Fact]
    public async Task A_cursor_the_archive_did_not_give_is_refused()
    {
        var archive = await ArchiveAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => archive.GetThreadAsync("t_1", 10, "bm90IGEgY3Vyc29y"));
        await Assert.ThrowsAsync<ArgumentException>(() => archive.GetThreadAsync("t_1", 10, "'; DROP TABLE messages; --"));
    }
}

public sealed class SqliteMessageStoreTests(SqliteArchiveDatabases databases)
    : MessageStoreTests(databases), IClassFixture<SqliteArchiveDatabases>;

[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class PostgresMessageStoreTests(PostgresArchiveDatabases databases)
    : MessageStoreTests(databases), IClassFixture<PostgresArchiveDatabases>;
