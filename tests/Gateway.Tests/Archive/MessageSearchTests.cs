using Gateway.Tests.Infrastructure;
using Gateway.Archive;
using MetaGraph;
using static Gateway.Tests.Archive.ArchiveTestData;

namespace Gateway.Tests.Archive;

/// <summary>Full-text search: the query language, accents, scripts, ranking, paging, Page isolation, and input that must
/// never act as FTS5, tsquery or SQL syntax.</summary>
public abstract class MessageSearchTests(IArchiveDatabases databases) : ArchiveTests(databases)
{
    private static readonly string[] Pages = [PageId];

    private static async Task<List<string>> FoundAsync(MessageArchive archive, string query, IReadOnlyCollection<string>? pages = null)
        => [.. (await archive.SearchAsync(new MessageSearchRequest(query, pages ?? Pages) { First = 50 })).Edges.Select(edge => edge.Node.MessageId)];

    [Fact]
    public async Task Accents_and_case_are_ignored_both_ways()
    {
        var archive = await ArchiveAsync(
            Message("m_1", "Zoë said the CAFÉ opens at nine"),
            Message("m_2", "zoe thinks the cafe is closed"),
            Message("m_3", "Nothing to see"));

        Assert.Equal(["m_1", "m_2"], (await FoundAsync(archive, "zoe")).Order());
        Assert.Equal(["m_1", "m_2"], (await FoundAsync(archive, "ZOË Café")).Order());
    }

    [Fact]
    public async Task Hebrew_Spanish_and_emoji_text_is_found_by_its_words()
    {
        var archive = await ArchiveAsync(
            Message("m_he", "שלום עולם 👋 מה שלומך"),
            Message("m_es", "¿Dónde está mi pedido? 📦🙏"),
            Message("m_mixed", "🎉🎉 party at Ana's 🎉"));

        Assert.Equal(["m_he"], await FoundAsync(archive, "שלום"));
        Assert.Equal(["m_he"], await FoundAsync(archive, "עולם 👋"));
        Assert.Equal(["m_es"], await FoundAsync(archive, "donde PEDIDO"));
        Assert.Equal(["m_mixed"], await FoundAsync(archive, "party 🎉"));
        Assert.Empty(await FoundAsync(archive, "🎉"));
    }

    [Fact]
    public async Task All_words_must_match_a_phrase_must_match_in_order_and_a_star_makes_a_prefix()
    {
        var archive = await ArchiveAsync(
            Message("m_1", "the order was shipped yesterday"),
            Message("m_2", "yesterday was shipped the order"),
            Message("m_3", "the order is late"),
            Message("m_4", "orders ship on monday"));

        Assert.Equal(["m_1", "m_2"], (await FoundAsync(archive, "shipped order")).Order());
        Assert.Equal(["m_1"], await FoundAsync(archive, "\"order was shipped\""));
        Assert.Equal(["m_1", "m_2", "m_3", "m_4"], (await FoundAsync(archive, "ord*")).Order());
        Assert.Equal(["m_1", "m_2", "m_4"], (await FoundAsync(archive, "ord* ship*")).Order());
        Assert.Equal(["m_1"], await FoundAsync(archive, "\"the order wa\"*"));
    }

    [Fact]
    public async Task Hits_are_ranked_by_relevance_then_recency_and_carry_a_highlighted_snippet()
    {
        var archive = await ArchiveAsync(
            Message("m_old", "refund refund refund please", Start),
            Message("m_new", "about my refund", Start.AddHours(2)),
            Message("m_newer", "about my refund", Start.AddHours(3), conversationId: "t_2"));

        var hits = (await archive.SearchAsync(new MessageSearchRequest("refund", Pages))).Edges.Select(edge => edge.Node).ToList();

        Assert.Equal(["m_old", "m_newer", "m_new"], hits.Select(hit => hit.MessageId));
        Assert.Equal(("t_2", PageId, Platform.Messenger, Start.AddHours(3)), (hits[1].ConversationId, hits[1].PageId, hits[1].Platform, hits[1].CreatedTime));
        Assert.Equal("about my «refund»", hits[1].Snippet);
        Assert.Contains("«refund»", hits[0].Snippet);
    }

    [Fact]
    public async Task Paging_by_cursor_returns_every_hit_once_in_order()
    {
        var archive = await ArchiveAsync([.. Enumerable.Range(0, 23).Select(index => Message($"m_{index:D2}", $"invoice number {index}", Start.AddMinutes(index % 7)))]);
        var all = await FoundAsync(archive, "invoice");

        var paged = new List<string>();
        string? after = null;
        do
        {
            var page = await archive.SearchAsync(new MessageSearchRequest("invoice", Pages) { First = 5, After = after });
            paged.AddRange(page.Edges.Select(edge => edge.Node.MessageId));
            after = page.HasNextPage ? page.EndCursor : null;
        }
        while (after is not null);

        Assert.Equal(23, all.Count);
        Assert.Equal(all, paged);
    }

    [Fact]
    public async Task Only_the_given_pages_are_searched_and_platform_and_time_range_narrow_the_hits()
    {
        var archive = await ArchiveAsync(
            Message("m_mine", "shared secret word", Start),
            Message("m_ig", "shared secret word", Start.AddDays(1), platform: Platform.Instagram),
            Message("m_other_page", "shared secret word", Start, conversationId: "t_9", pageId: "page_2"));

        Assert.Equal(["m_ig", "m_mine"], await FoundAsync(archive, "secret"));
        Assert.Equal(["m_other_page"], await FoundAsync(archive, "secret", ["page_2"]));
        Assert.Equal(["m_ig", "m_mine", "m_other_page"], (await FoundAsync(archive, "secret", [PageId, "page_2"])).Order());
        // The index holds each message's Page beside its text; the terms are looked for in the text only.
        Assert.Empty(await FoundAsync(archive, PageId));
        Assert.Empty(await FoundAsync(archive, "\"page_2\"", [PageId, "page_2"]));
        Assert.Empty(await FoundAsync(archive, "secret", []));
        var instagram = await archive.SearchAsync(new MessageSearchRequest("secret", Pages) { Platform = Platform.Instagram });
        Assert.Equal(["m_ig"], instagram.Edges.Select(edge => edge.Node.MessageId));
        var firstDay = await archive.SearchAsync(new MessageSearchRequest("secret", Pages) { Since = Start, Until = Start.AddDays(1) });
        Assert.Equal(["m_mine"], firstDay.Edges.Select(edge => edge.Node.MessageId));
    }

    /// <summary>A word found mostly on other Pages (more than SQLite's sample of 200) is looked for with the Pages named in
    /// the index; a word found a few times, without. Both find exactly this Page's messages.</summary>
    [Fact]
    public async Task A_word_found_mostly_on_another_page_finds_only_this_pages_messages()
    {
        var others = Enumerable.Range(0, 250).Select(index => Message($"m_other_{index:D3}", $"refund number {index}", Start.AddMinutes(index),
            conversationId: $"t_other_{index}", pageId: "page_2"));
        var archive = await ArchiveAsync([
            Message("m_mine_short", "refund", Start), Message("m_mine_long", "a refund for the order from monday", Start.AddDays(1)),
            .. others, Message("m_rare", "refund queried rarely", Start.AddDays(2), conversationId: "t_9", pageId: "page_2")]);

        var found = await archive.SearchAsync(new MessageSearchRequest("refund", Pages) { First = 50 });
        var rare = await archive.SearchAsync(new MessageSearchRequest("rarely refund", ["page_2"]) { First = 50 });

        Assert.Equal(["m_mine_long", "m_mine_short"], found.Edges.Select(edge => edge.Node.MessageId).Order());
        Assert.Equal("m_rare", Assert.Single(rare.Edges).Node.MessageId);
    }

    [Fact]
    public async Task A_deleted_or_purged_message_is_never_found()
    {
        var archive = await ArchiveAsync(
            Message("m_flagged", "confidential plan", Start.AddDays(10)),
            Message("m_old", "confidential plan", Start),
            Message("m_kept", "confidential plan", Start.AddDays(10)));

        await archive.UpsertMessagesAsync([Message("m_flagged", "confidential plan", Start.AddDays(10)) with { Deleted = true }]);
        Clock.SetUtcNow(Start.AddDays(5));
        await archive.PurgeAsync(TimeSpan.FromDays(1));

        Assert.Equal(["m_kept"], await FoundAsync(archive, "confidential"));
    }

    [Theory]
    [InlineData("'")]
    [InlineData("\"")]
    [InlineData("\"unbalanced quote")]
    [InlineData("*")]
    [InlineData("-")]
    [InlineData("-word")]
    [InlineData("NEAR(word other)")]
    [InlineData("word OR other")]
    [InlineData("word NOT other")]
    [InlineData("text:word")]
    [InlineData("(word")]
    [InlineData("word & other | !x <-> y")]
    [InlineData("'; DROP TABLE messages; --")]
    [InlineData("\"; DROP TABLE messages; --")]
    [InlineData("word\\")]
    [InlineData("^word +other ~x")]
    public async Task Syntax_of_fts5_tsquery_or_sql_in_a_query_is_plain_text_and_answered_without_error(string query)
    {
        // The query's own text as a message: read as plain words, the query finds it, and only it.
        var archive = await ArchiveAsync(Message("m_1", query), Message("m_2", "nothing here"));

        var hits = await FoundAsync(archive, query);

        Assert.Equal(query.Any(char.IsLetter) ? ["m_1"] : [], hits);
        Assert.Equal(2, (await archive.GetMessagesAsync(["m_1", "m_2"])).Count);
    }
}

public sealed class SqliteMessageSearchTests(SqliteArchiveDatabases databases)
    : MessageSearchTests(databases), IClassFixture<SqliteArchiveDatabases>;

[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class PostgresMessageSearchTests(PostgresArchiveDatabases databases)
    : MessageSearchTests(databases), IClassFixture<PostgresArchiveDatabases>;
