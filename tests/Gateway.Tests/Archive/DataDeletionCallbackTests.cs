using System.Net;
using System.Text.Json.Nodes;
using Gateway.Archive;
using Gateway.Archive.Privacy;
using Gateway.Tests.Infrastructure;
using MetaGraph;
using MetaGraph.Emulator;
using MetaGraph.Emulator.Graph;
using static Gateway.Tests.Archive.ArchiveGateways;
using static Gateway.Tests.Archive.ArchiveTestData;

namespace Gateway.Tests.Archive;

/// <summary>Meta's data deletion callback over HTTP: <c>POST /meta/data-deletion</c> with a <c>signed_request</c>, and the
/// status page its answer points at.</summary>
public sealed class DataDeletionCallbackTests(SqliteArchiveDatabases databases) : IClassFixture<SqliteArchiveDatabases>
{
    private const string Person = "person_to_forget";

    [Fact]
    public async Task A_forged_signed_request_is_refused_and_deletes_nothing()
    {
        await using var gateway = await StartWithMessagesAsync();
        var (host, store) = (gateway.Host, gateway.Store);

        using var forged = await PostAsync(host, SignedRequest.Sign(Payload(Person), "not-the-app-secret"));
        using var unsigned = await PostAsync(host, SignedRequest.Sign(Payload(Person), MetaWebhooks.AppSecret).Split('.')[1]);
        using var tampered = await PostAsync(host, Tampered(SignedRequest.Sign(Payload("someone_else"), MetaWebhooks.AppSecret)));
        using var missing = await host.Client.PostAsync(DataDeletionEndpoints.Path, new FormUrlEncodedContent([]));

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.BadRequest],
            [forged.StatusCode, unsigned.StatusCode, tampered.StatusCode, missing.StatusCode]);
        Assert.Equal(4, (await store.GetMessagesAsync(["m_a", "m_b", "m_page", "m_other"])).Count);
    }

    [Fact]
    public async Task A_valid_request_deletes_the_persons_messages_on_every_page_and_answers_metas_url_and_code()
    {
        await using var gateway = await StartWithMessagesAsync();
        var (host, store) = (gateway.Host, gateway.Store);

        using var response = await PostAsync(host, SignedRequest.Sign(Payload(Person), MetaWebhooks.AppSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var code = answer["confirmation_code"]!.GetValue<string>();
        Assert.Equal(new Uri(host.Client.BaseAddress!, $"/meta/data-deletion/{code}").ToString(), answer["url"]!.GetValue<string>());
        Assert.Equal(["m_other", "m_page"], (await store.GetMessagesAsync(["m_a", "m_b", "m_page", "m_other"])).Keys.Order());
        Assert.DoesNotContain(Person, (await store.GetConversationAsync("t_b"))!.Participants.Select(participant => participant.Id));
    }

    [Fact]
    public async Task The_status_url_answers_with_the_requests_outcome_and_unknown_codes_are_not_found()
    {
        await using var gateway = await StartWithMessagesAsync();
        var host = gateway.Host;
        using var response = await PostAsync(host, SignedRequest.Sign(Payload(Person), MetaWebhooks.AppSecret));
        var url = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["url"]!.GetValue<string>();

        var status = await host.Client.GetStringAsync(url);
        using var unknown = await host.Client.GetAsync($"{DataDeletionEndpoints.Path}/{new string('0', 32)}");
        using var malformed = await host.Client.GetAsync($"{DataDeletionEndpoints.Path}/..%2F..%2Fetc");

        Assert.Contains("Completed:", status);
        Assert.Contains("Messages deleted: 2;", status);
        Assert.DoesNotContain(Person, status);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (unknown.StatusCode, malformed.StatusCode));
    }

    /// <summary>Meta names the person by their app-scoped id, which no inbox knows: with the app's id configured, Meta's ID
    /// Matching API gives their Page-scoped id, and that is what is erased.</summary>
    [Fact]
    public async Task With_the_apps_id_the_person_meta_names_is_found_under_their_page_scoped_id_and_erased()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var archive = await databases.CreateEmptyAsync();
        await using var host = await StartAsync(emulator, archive, ("Meta:AppId", new EmulatorOptions().AppId.ToString()));
        var store = Open(archive);
        var pageId = emulator.Seed[0].PageId;
        var person = emulator.Data.Pages[0].Folder(MetaGraph.Emulator.Data.InboxPlatform.Messenger)[0].Customer.Id;
        await store.UpsertMessagesAsync([
            Message("m_person", "my address is 5 Elm St", conversationId: "t_person", pageId: pageId, fromId: person),
            Message("m_other", "someone else", conversationId: "t_other", pageId: pageId, fromId: "person_2"),
        ]);
        emulator.ResetRequests();

        using var response = await PostAsync(host, SignedRequest.Sign(Payload(IdMatching.AppScopedIdOf(person)), MetaWebhooks.AppSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["m_other"], (await store.GetMessagesAsync(["m_person", "m_other"])).Keys);
        Assert.Single(emulator.Requests, request => request.Path.EndsWith("/ids_for_pages", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(MetaWebhooks.AppSecret, StringComparison.Ordinal));
    }

    /// <summary>Meta's callback is answered at once while Meta's own ID Matching API fails; the request is carried out when
    /// Meta answers again, while the gateway runs.</summary>
    [Fact]
    public async Task While_meta_cannot_map_the_person_the_request_is_answered_and_carried_out_once_it_can()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var archive = await databases.CreateEmptyAsync();
        await using var host = await StartAsync(emulator, archive, ("Meta:AppId", new EmulatorOptions().AppId.ToString()),
            ("Archive:DataDeletionRetryInterval", "00:00:00.200"));
        var store = Open(archive);
        var pageId = emulator.Seed[0].PageId;
        var person = emulator.Data.Pages[0].Folder(MetaGraph.Emulator.Data.InboxPlatform.Messenger)[0].Customer.Id;
        await store.UpsertMessagesAsync([Message("m_person", "my address is 5 Elm St", conversationId: "t_person", pageId: pageId, fromId: person)]);
        await emulator.ConfigureAsync(new EmulatorRuntimeConfig(FaultRate: 1));

        using var response = await PostAsync(host, SignedRequest.Sign(Payload(IdMatching.AppScopedIdOf(person)), MetaWebhooks.AppSecret));
        var url = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["url"]!.GetValue<string>();
        var whileMetaFails = await host.Client.GetStringAsync(url);
        var keptMeanwhile = (await store.GetMessagesAsync(["m_person"])).Count;
        await emulator.ConfigureAsync(new EmulatorRuntimeConfig(FaultRate: 0));
        await Eventually.TrueAsync(async () => (await store.GetMessagesAsync(["m_person"])).Count == 0, TimeSpan.FromSeconds(30),
            "the person's message erased once Meta answers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("Completed:", whileMetaFails);
        Assert.Equal(1, keptMeanwhile);
        Assert.Contains("Completed:", await host.Client.GetStringAsync(url));
    }

    /// <summary>A gateway whose archive holds the person's messages on two Pages, the Page's reply and another person's.</summary>
    private async Task<ArchivingGateway> StartWithMessagesAsync()
    {
        var emulator = await EmulatorServer.StartAsync();
        var archive = await databases.CreateEmptyAsync();
        var host = await StartAsync(emulator, archive);
        var store = Open(archive);
        await store.UpsertConversationsAsync([
            Conversation("t_a", new Participant { Id = Person }, new Participant { Id = PageId }),
            Conversation("t_b", new Participant { Id = Person }, new Participant { Id = "page_2" }) with { PageId = "page_2" },
        ]);
        await store.UpsertMessagesAsync([
            Message("m_a", "my address is 5 Elm St", conversationId: "t_a", fromId: Person),
            Message("m_b", "and my phone number", conversationId: "t_b", pageId: "page_2", fromId: Person),
            Message("m_page", "thanks, noted", conversationId: "t_a", fromId: PageId),
            Message("m_other", "someone else", conversationId: "t_c", fromId: "person_2"),
        ]);
        return new ArchivingGateway(host, store, emulator);
    }

    private sealed record ArchivingGateway(GatewayHost Host, MessageArchive Store, EmulatorServer Emulator) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await Emulator.DisposeAsync();
        }
    }

    private static string Payload(string userId) => $$"""{"algorithm":"HMAC-SHA256","expires":1700003600,"issued_at":1700000000,"user_id":"{{userId}}"}""";

    /// <summary>Another payload under the signature of the first.</summary>
    private static string Tampered(string signedRequest)
        => signedRequest.Split('.')[0] + "." + SignedRequest.Sign(Payload(Person), MetaWebhooks.AppSecret).Split('.')[1];

    private static Task<HttpResponseMessage> PostAsync(GatewayHost host, string signedRequest)
        => host.Client.PostAsync(DataDeletionEndpoints.Path, new FormUrlEncodedContent([new("signed_request", signedRequest)]));
}
