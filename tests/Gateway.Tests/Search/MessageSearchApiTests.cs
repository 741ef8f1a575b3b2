using System.Text.Json.Nodes;
using Gateway.Archive;
using Gateway.Tests.Archive;
using Gateway.Tests.InboxSync;
using Gateway.Tests.Infrastructure;
using MetaGraph;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Tests.InboxSync.ArchiveGateway;

namespace Gateway.Tests.Search;

/// <summary><c>page(id:) { searchMessages }</c> over GraphQL on HTTP, on an archive the store filled: what is found, how it
/// pages, who may search which Page, and that a search never calls the Graph API. The store's own tests cover the query
/// language on both databases in depth; these check that the API carries it through.</summary>
public abstract class MessageSearchApiTests(IArchiveDatabases databases)
{
    private const string FirstPage = "104000000000001";
    private const string SecondPage = "104000000000002";
    private static readonly DateTimeOffset Recently = DateTimeOffset.UtcNow.AddDays(-1);

    /// <summary>A gateway whose archive holds <paramref name="messages"/>.</summary>
    private Task<GatewayHost> StartAsync(params ArchivedMessage[] messages) => StartAsync(null, messages);

    private async Task<GatewayHost> StartAsync(IReadOnlyDictionary<string, string?>? settings, params ArchivedMessage[] messages)
    {
        var host = await ArchiveGateway.StartAsync(await databases.CreateMigratedAsync(), settings: settings, configurePages: settings is not null);
        await Archive(host).UpsertMessagesAsync(messages);
        return host;
    }

    private static MessageArchive Archive(GatewayHost host) => host.Services.GetRequiredService<MessageArchive>();

    private static ArchivedMessage Message(string id, string text, DateTimeOffset? created = null, string pageId = FirstPage,
        Platform platform = Platform.Messenger, string conversationId = "t_100") => new()
    {
        Id = id,
        ConversationId = conversationId,
        PageId = pageId,
        Platform = platform,
        CreatedTime = created ?? Recently,
        Sources = MessageSources.Webhook,
        From = new Participant { Id = "person_1" },
        Text = text,
    };

    private static async Task<JsonObject> SearchAsync(GatewayHost host, string query, object? more = null, int page = 0, string? token = null)
    {
        var variables = new JsonObject { ["page"] = host.Emulator.Seed[page].PageId, ["query"] = query };
        foreach (var (name, value) in more is null ? [] : JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(more))!.AsObject().ToList())
        {
            variables[name] = value?.DeepClone();
        }
        return await host.QueryAsync(ArchiveGateway.Search, variables, token ?? host.Emulator.Seed[page].AccessToken);
    }

    private static List<string> Found(JsonObject answer)
    {
        Assert.Null(answer["errors"]);
        return [.. answer.At("data.page.searchMessages.edges")!.AsArray().Select(edge => edge.At("node.metaId")!.GetValue<string>())];
    }

    [Fact]
    public async Task Accents_case_emoji_and_right_to_left_text_are_found_by_their_words_without_a_graph_call()
    {
        await using var host = await StartAsync(
            Message("m_accents", "Zoë ordered at the CAFÉ"),
            Message("m_hebrew", "שלום, ההזמנה שלי לא הגיעה 📦"),
            Message("m_spanish", "¿Dónde está mi pedido? 🙏"),
            Message("m_emoji", "🎉🎉 party 🎉"));

        var accents = await SearchAsync(host, "zoe cafe");

        Assert.Equal(["m_accents"], Found(accents));
        Assert.Equal(["m_accents"], Found(await SearchAsync(host, "ZOË")));
        Assert.Equal(["m_hebrew"], Found(await SearchAsync(host, "הגיעה שלום")));
        Assert.Equal(["m_spanish"], Found(await SearchAsync(host, "donde PEDIDO 🙏")));
        Assert.Empty(Found(await SearchAsync(host, "🎉")));
        var hit = accents.At("data.page.searchMessages.edges.0")!;
        Assert.Contains("«Zoë» ordered at the «CAFÉ»", hit["snippet"]!.GetValue<string>());
        Assert.Equal("Zoë ordered at the CAFÉ", hit.At("node.message")!.GetValue<string>());
        Assert.Equal("person_1", hit.At("node.from.metaId")!.GetValue<string>());
        Assert.Equal("t_100", hit.At("conversation.metaId")!.GetValue<string>());
        Assert.Equal("MESSENGER", hit.At("conversation.platform")!.GetValue<string>());
        Assert.Empty(host.UpstreamCalls);
    }

    /// <summary>A search reads the archive, which no webhook's tag describes: the same search again is run again, never a
    /// kept result.</summary>
    [Fact]
    public async Task The_same_search_again_finds_what_was_archived_since()
    {
        await using var host = await StartAsync(Message("m_first", "where is my parcel"));
        var before = Found(await SearchAsync(host, "parcel"));

        await Archive(host).UpsertMessagesAsync([Message("m_second", "the parcel arrived", Recently.AddMinutes(1))]);
        var after = Found(await SearchAsync(host, "parcel"));

        Assert.Equal(["m_first"], before);
        Assert.Equal(["m_second", "m_first"], after);
    }

    [Fact]
    public async Task A_phrase_matches_its_words_in_order_and_a_star_matches_a_prefix()
    {
        await using var host = await StartAsync(
            Message("m_1", "the order was shipped yesterday", Recently),
            Message("m_2", "yesterday was shipped the order", Recently.AddMinutes(1)),
            Message("m_3", "orders ship on monday", Recently.AddMinutes(2)));

        Assert.Equal(["m_1"], Found(await SearchAsync(host, "\"order was shipped\"")));
        Assert.Equal(["m_3", "m_2", "m_1"], Found(await SearchAsync(host, "ship*")));
        Assert.Equal(["m_1"], Found(await SearchAsync(host, "\"the order wa\"*")));
        Assert.Equal(["m_2", "m_1"], Found(await SearchAsync(host, "shipped order")));
    }

    [Fact]
    public async Task Paging_returns_every_hit_once_in_order_and_refuses_a_cursor_it_did_not_give()
    {
        await using var host = await StartAsync([.. Enumerable.Range(0, 23).Select(i => Message($"m_{i:D2}", $"invoice number {i}", Recently.AddMinutes(i % 7)))]);
        var all = Found(await SearchAsync(host, "invoice", new { first = 50 }));

        var paged = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var answer = await SearchAsync(host, "invoice", new { first = 5, after });
            paged.AddRange(Found(answer));
            var pageInfo = answer.At("data.page.searchMessages.pageInfo")!;
            Assert.Equal(after is not null, pageInfo["hasPreviousPage"]!.GetValue<bool>());
            after = pageInfo["hasNextPage"]!.GetValue<bool>() ? pageInfo["endCursor"]!.GetValue<string>() : null;
            pages++;
        }
        while (after is not null);
        var foreign = await SearchAsync(host, "invoice", new { after = "bm90IGEgY3Vyc29y" });

        Assert.Equal(23, all.Count);
        Assert.Equal(all, paged);
        Assert.Equal(5, pages);
        Assert.Equal("PAGING_INVALID_CURSOR", foreign.At("errors.0.extensions.code")!.GetValue<string>());
    }

    [Fact]
    public async Task Platform_and_time_range_narrow_the_hits()
    {
        await using var host = await StartAsync(
            Message("m_messenger", "parcel arrived", Recently),
            Message("m_instagram", "parcel arrived", Recently.AddHours(2), platform: Platform.Instagram, conversationId: "aWdfdGhyZWFk"));

        Assert.Equal(["m_instagram"], Found(await SearchAsync(host, "parcel", new { platform = "INSTAGRAM" })));
        Assert.Equal(["m_messenger"], Found(await SearchAsync(host, "parcel", new { from = Recently.AddHours(-1), to = Recently.AddHours(1) })));
        Assert.Equal(["m_instagram"], Found(await SearchAsync(host, "parcel", new { from = Recently.AddHours(1) })));
    }

    [Fact]
    public async Task A_forwarded_token_searches_its_own_page_and_no_other()
    {
        await using var host = await StartAsync(Message("m_first", "secret recipe"), Message("m_second", "secret recipe", pageId: SecondPage, conversationId: "t_200"));

        var own = await SearchAsync(host, "secret", page: 0);
        var other = await SearchAsync(host, "secret", page: 1, token: host.Emulator.Seed[0].AccessToken);

        Assert.Equal(["m_first"], Found(own));
        Assert.Equal("META_PERMISSION_DENIED", other.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Null(other.At("data.page.searchMessages"));
    }

    [Fact]
    public async Task An_api_key_searches_only_the_pages_it_lists()
    {
        const string key = "crm-key-0123456789abcdef";
        await using var host = await StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Auth:Required"] = "true",
            ["Gateway:Auth:ApiKeys:crm:Key"] = key,
            ["Gateway:Auth:ApiKeys:crm:Pages:0"] = SecondPage,
        }, Message("m_first", "secret recipe"), Message("m_second", "secret recipe", pageId: SecondPage, conversationId: "t_200"));
        void Key(HttpRequestMessage request) => request.Headers.Add("X-Api-Key", key);

        var listed = await host.SendAsync(ArchiveGateway.Search, new { page = host.Emulator.Seed[1].PageId, query = "secret" }, Key);
        var unlisted = await host.SendAsync(ArchiveGateway.Search, new { page = host.Emulator.Seed[0].PageId, query = "secret" }, Key);

        Assert.Equal(["m_second"], Found(listed));
        Assert.Equal("META_PERMISSION_DENIED", unlisted.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Empty(host.Emulator.Requests);
    }

    [Fact]
    public async Task A_deleted_or_purged_message_is_not_found()
    {
        await using var host = await StartAsync(
            Message("m_unsent", "confidential plan"),
            Message("m_old", "confidential plan", DateTimeOffset.UtcNow.AddDays(-400)),
            Message("m_kept", "confidential plan"));

        // What the unsend webhook writes: where the message belongs, and that it is deleted.
        await Archive(host).UpsertMessagesAsync([Message("m_unsent", "") with { Text = null, Deleted = true }]);
        await Archive(host).PurgeAsync(TimeSpan.FromDays(365));

        Assert.Equal(["m_kept"], Found(await SearchAsync(host, "confidential")));
    }

    [Fact]
    public async Task Fts5_tsquery_and_sql_syntax_in_a_query_is_answered_as_plain_text()
    {
        string[] attempts = ["'", "\"", "\"unbalanced quote", "*", "-word", "NEAR(word other)", "word OR other", "word NOT other", "text:word",
            "(word", "word & other | !x <-> y", "'; DROP TABLE messages; --", "\"; DROP TABLE messages; --", "word\\", "^word +other ~x", "%_ LIKE '%"];
        await using var host = await StartAsync([.. attempts.Select((attempt, i) => Message($"m_{i:D2}", attempt)), Message("m_plain", "nothing here")]);

        foreach (var (attempt, i) in attempts.Select((attempt, i) => (attempt, i)))
        {
            var found = Found(await SearchAsync(host, attempt));

            // Read as plain words, the attempt finds the message holding the same words; without letters, nothing.
            Assert.True(attempt.Any(char.IsLetter) ? found.Contains($"m_{i:D2}") && !found.Contains("m_plain") : found.Count == 0, $"{attempt}: {string.Join(", ", found)}");
        }
        Assert.Equal(attempts.Length + 1, (await Archive(host).GetMessagesAsync([.. attempts.Select((_, i) => $"m_{i:D2}"), "m_plain"])).Count);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_with_a_code_naming_them()
    {
        await using var host = await StartAsync();

        Assert.Equal("SEARCH_QUERY_INVALID", Code(await SearchAsync(host, "   ")));
        Assert.Equal("SEARCH_QUERY_INVALID", Code(await SearchAsync(host, new string('a', 501))));
        Assert.Equal("PAGING_SIZE_OUT_OF_RANGE", Code(await SearchAsync(host, "word", new { first = 0 })));
        Assert.Equal("PAGING_SIZE_OUT_OF_RANGE", Code(await SearchAsync(host, "word", new { first = 51 })));
        Assert.Equal("SEARCH_TIME_RANGE_INVALID", Code(await SearchAsync(host, "word", new { from = Recently, to = Recently })));
    }

    [Fact]
    public async Task The_conversation_of_a_hit_is_read_from_graph_only_for_fields_the_archive_does_not_hold()
    {
        await using var host = await StartAsync();
        var conversation = host.Emulator.Data.Pages[0].Conversations[0];
        await Archive(host).UpsertMessagesAsync([Message("m_hit", "where is my refund", conversationId: conversation.Id)]);
        const string withGraphFields = """
            query($page: ID!) { page(id: $page) { searchMessages(query: "refund") { edges { conversation { metaId updatedTime participants { id } } } } } }
            """;

        var answer = await host.QueryAsync(withGraphFields, new { page = host.Page.PageId });

        Assert.Null(answer["errors"]);
        Assert.Equal(conversation.Id, answer.At("data.page.searchMessages.edges.0.conversation.metaId")!.GetValue<string>());
        Assert.NotEmpty(answer.At("data.page.searchMessages.edges.0.conversation.participants")!.AsArray());
        Assert.Single(host.UpstreamCalls);
    }

    private static string Code(JsonObject answer) => answer.At("errors.0.extensions.code")!.GetValue<string>();
}

public sealed class SqliteMessageSearchApiTests(SqliteArchiveDatabases databases)
    : MessageSearchApiTests(databases), IClassFixture<SqliteArchiveDatabases>;

[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class PostgresMessageSearchApiTests(PostgresArchiveDatabases databases)
    : MessageSearchApiTests(databases), IClassFixture<PostgresArchiveDatabases>;

/// <summary>Without <c>ConnectionStrings:Archive</c>, what needs the archive says so.</summary>
public sealed class WithoutArchiveTests
{
    [Fact]
    public async Task Search_and_inbox_sync_answer_archive_not_configured()
    {
        await using var host = await GatewayHost.StartAsync();
        var page = host.Page.PageId;

        var search = await host.QueryAsync(ArchiveGateway.Search, new { page, query = "refund" });
        var status = await host.QueryAsync(ArchiveGateway.SyncStatus, new { page, platform = "MESSENGER" });
        var start = await host.StartSyncAsync(page);

        Assert.Equal("ARCHIVE_NOT_CONFIGURED", search.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Contains("ConnectionStrings:Archive", search.At("errors.0.message")!.GetValue<string>());
        Assert.Equal("ARCHIVE_NOT_CONFIGURED", status.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Null(start["errors"]);
        Assert.Equal("InboxSyncError", start.At("data.startInboxSync.errors.0.__typename")!.GetValue<string>());
        Assert.Equal("ARCHIVE_NOT_CONFIGURED", start.At("data.startInboxSync.errors.0.code")!.GetValue<string>());
        Assert.Null(start.At("data.startInboxSync.inboxSync"));
        Assert.Empty(host.UpstreamCalls);
    }
}
