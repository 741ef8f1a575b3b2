using Gateway.Tests.Infrastructure;
using Gateway.Archive;
using MetaGraph;
using static Gateway.Tests.Archive.ArchiveTestData;

namespace Gateway.Tests.Archive;

/// <summary>Unsend, retention and a person's erasure (Meta's data deletion callback).</summary>
public abstract class ArchivePrivacyTests(IArchiveDatabases databases) : ArchiveTests(databases)
{
    [Fact]
    public async Task Unsending_erases_the_content_and_keeps_the_id_and_the_deleted_flag()
    {
        var archive = await ArchiveAsync();
        await archive.UpsertMessagesAsync([Message("m_1", "my address is 5 Elm St") with
        {
            Attachments = [new Attachment { Id = "a_1" }],
            Shares = [new Share { Link = "https://cdn/share" }],
            Reactions = [new Reaction { Name = "like" }],
        }]);

        // What the unsend webhook writes: where the message belongs, and that it is deleted.
        await archive.UpsertMessagesAsync([new ArchivedMessage
        {
            Id = "m_1", ConversationId = "t_1", PageId = PageId, Platform = Platform.Messenger, CreatedTime = Start,
            Sources = MessageSources.Webhook, Deleted = true,
        }]);

        var message = (await archive.GetMessagesAsync(["m_1"]))["m_1"].Message;
        Assert.Equal(("m_1", "t_1", true, null, null, null), (message.Id, message.ConversationId, message.Deleted, message.Text, message.Attachments, message.Shares));
        Assert.Empty((await archive.GetThreadAsync("t_1", 10)).Edges);
    }

    [Fact]
    public async Task Retention_purges_messages_older_than_the_cutoff_and_conversations_left_empty()
    {
        var archive = await ArchiveAsync();
        await archive.UpsertConversationsAsync([Conversation("t_old", new Participant { Id = "person_1", Name = "Zoë" }) with { UpdatedTime = Start.AddDays(1) }]);
        await archive.UpsertConversationsAsync([Conversation("t_1") with { UpdatedTime = Start.AddDays(40) }]);
        await archive.UpsertMessagesAsync([.. Enumerable.Range(0, 40).Select(day => Message($"m_{day:D2}", "hi", Start.AddDays(day), day < 2 ? "t_old" : "t_1"))]);

        Clock.Advance(TimeSpan.FromDays(40));
        var purge = await archive.PurgeAsync(TimeSpan.FromDays(30));

        Assert.Equal(new RetentionPurge(10, 1), purge);
        Assert.Equal(30, await archive.CountMessagesAsync("t_1"));
        Assert.Equal("m_10", (await archive.GetThreadAsync("t_1", 100)).Edges[^1].Node.Message.Id);
        Assert.Null(await archive.GetConversationAsync("t_old"));
        Assert.NotNull(await archive.GetConversationAsync("t_1"));
        Assert.Equal(new RetentionPurge(0, 0), await archive.PurgeAsync(TimeSpan.FromDays(30)));
    }

    [Fact]
    public async Task Erasing_a_person_deletes_what_they_sent_on_every_page_and_their_place_among_participants()
    {
        var archive = await ArchiveAsync();
        var person = new Participant { Id = "person_1", Name = "Zoë" };
        var page = new Participant { Id = PageId, Name = "The Page" };
        await archive.UpsertConversationsAsync([Conversation("t_1", person, page)]);
        await archive.UpsertConversationsAsync([Conversation("t_2", person, new Participant { Id = "page_2" }) with { PageId = "page_2" }]);
        await archive.UpsertMessagesAsync([
            Message("m_1", "from the person"),
            Message("m_2", "from the person too", conversationId: "t_2", pageId: "page_2"),
            Message("m_3", "the page answers", fromId: PageId),
            Message("m_4", "someone else", conversationId: "t_3", fromId: "person_2"),
        ]);

        var erasure = await archive.ErasePersonAsync("person_1");

        Assert.Equal(new PersonErasure(2, 2), erasure);
        Assert.Equal(["m_3", "m_4"], (await archive.GetMessagesAsync(["m_1", "m_2", "m_3", "m_4"])).Keys.Order());
        Assert.Equal([PageId], (await archive.GetConversationAsync("t_1"))!.Participants.Select(participant => participant.Id));
        Assert.Empty(await archive.SearchAsync(new MessageSearchRequest("person", [PageId, "page_2"])) is { Edges: var edges } ? edges : []);
        Assert.Equal(new PersonErasure(0, 0), await archive.ErasePersonAsync("person_1"));
    }

    [Fact]
    public async Task A_data_deletion_request_is_recorded_carried_out_once_and_shown_by_its_confirmation_code()
    {
        var archive = await ArchiveAsync();
        await archive.UpsertConversationsAsync([Conversation("t_1", new Participant { Id = "person_1" }, new Participant { Id = "person_9" })]);
        await archive.UpsertMessagesAsync([Message("m_1", "one"), Message("m_2", "two"), Message("m_3", "nine", fromId: "person_9")]);

        var requested = await archive.RequestDataDeletionAsync("app_user_1");
        Assert.Equal([(requested.ConfirmationCode, "app_user_1")], await archive.GetPendingDataDeletionsAsync());
        Clock.Advance(TimeSpan.FromMinutes(1));
        var completed = await archive.CompleteDataDeletionAsync(requested.ConfirmationCode, ["person_1", "person_9"]);
        var again = await archive.CompleteDataDeletionAsync(requested.ConfirmationCode, ["person_1"]);

        Assert.Matches("^[0-9a-f]{32}$", requested.ConfirmationCode);
        Assert.Equal(new DataDeletionStatus(requested.ConfirmationCode, Start, Start.AddMinutes(1), 3, 2), completed);
        Assert.Equal(completed, again);
        Assert.Equal(completed, await archive.GetDataDeletionAsync(requested.ConfirmationCode));
        Assert.Empty(await archive.GetPendingDataDeletionsAsync());
        Assert.Null(await archive.GetDataDeletionAsync("0123"));
        Assert.Null(await archive.CompleteDataDeletionAsync("0123", ["person_1"]));
    }
}

public sealed class SqliteArchivePrivacyTests(SqliteArchiveDatabases databases)
    : ArchivePrivacyTests(databases), IClassFixture<SqliteArchiveDatabases>;

[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class PostgresArchivePrivacyTests(PostgresArchiveDatabases databases)
    : ArchivePrivacyTests(databases), IClassFixture<PostgresArchiveDatabases>;
