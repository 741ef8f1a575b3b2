using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Execution;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Http;

/// <summary>Apollo's automatic persisted queries with the real Apollo Client, and this repository's operations served as
/// trusted documents.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class PersistedOperationsTests(ITestOutputHelper output)
{
    /// <summary>Apollo Client 4 with its persisted-query link, hashing with Node's crypto, once over POST and once with
    /// <c>useGETForHashedQueries</c>; every request it sends is logged with the answer's error codes.</summary>
    private const string ApolloScript = """
        import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
        import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
        import { createHash } from 'node:crypto';

        const sent = [];
        const loggingFetch = async (url, init) => {
          const response = await fetch(url, init);
          const body = init.body ? JSON.parse(init.body) : Object.fromEntries(new URL(url).searchParams);
          const answer = await response.clone().json();
          sent.push({ method: init.method ?? 'GET', withQuery: typeof body.query === 'string', withHash: JSON.stringify(body.extensions ?? '').includes('sha256Hash'),
                      status: response.status, codes: (answer.errors ?? []).map(e => e.extensions?.code) });
          return response;
        };
        const client = useGET => new ApolloClient({
          cache: new InMemoryCache(),
          link: new PersistedQueryLink({ sha256: q => createHash('sha256').update(q).digest('hex'), useGETForHashedQueries: useGET })
            .concat(new HttpLink({ uri: process.env.GRAPHQL_URL, fetch: loggingFetch, headers: { authorization: `Bearer ${process.env.TOKEN}` } })),
        });
        const variables = { pageId: process.env.PAGE_ID };
        const overPost = gql`query InboxSnippets($pageId: ID!) { page(id: $pageId) { conversations(platform: MESSENGER, first: 2) { nodes { id snippet } } } }`;
        const overGet = gql`query InboxIds($pageId: ID!) { page(id: $pageId) { conversations(platform: MESSENGER, first: 3) { nodes { id } } } }`;
        const runs = {};
        for (const [name, query, useGET] of [['post', overPost, false], ['get', overGet, true]]) {
          const apollo = client(useGET);
          const first = await apollo.query({ query, variables, fetchPolicy: 'network-only' });
          const second = await apollo.query({ query, variables, fetchPolicy: 'network-only' });
          runs[name] = { requests: sent.splice(0), first: first.data, second: second.data };
        }
        console.log(JSON.stringify(runs));
        """;

    private static readonly Dictionary<string, string> ApolloPackages = new()
    {
        ["@apollo/client"] = "4.3.8",
        ["graphql"] = "16.15.0",
        ["rxjs"] = "7.8.2",
    };

    [Fact]
    public async Task Apollo_clients_persisted_query_link_registers_once_then_sends_only_hashes_over_post_and_get()
    {
        var folder = await NodeTools.InstallAsync(ApolloPackages);
        await using var host = await GatewayHost.StartAsync();

        var (exitCode, text) = await NodeTools.RunScriptAsync(folder, "apollo-persisted.mjs", ApolloScript, new Dictionary<string, string>
        {
            ["GRAPHQL_URL"] = new Uri(host.Client.BaseAddress!, "/graphql").ToString(),
            ["TOKEN"] = host.Page.AccessToken,
            ["PAGE_ID"] = host.Page.PageId,
        }, TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, text);
        output.WriteLine(text);
        var runs = JsonNode.Parse(text.Trim().Split('\n')[^1])!;
        foreach (var (run, method, conversations) in new[] { ("post", "POST", 2), ("get", "GET", 3) })
        {
            var requests = runs[run]!["requests"]!.AsArray().Select(r => (
                Method: r!["method"]!.GetValue<string>(), WithQuery: r["withQuery"]!.GetValue<bool>(), WithHash: r["withHash"]!.GetValue<bool>(),
                Codes: string.Join(",", r["codes"]!.AsArray().Select(c => c!.GetValue<string>())))).ToList();
            // Hash only → not found; the query with its hash (always POST) → data; the repeat: the hash alone → data.
            Assert.Equal([(method, false, true, "PERSISTED_QUERY_NOT_FOUND"), ("POST", true, true, ""), (method, false, true, "")], requests);
            Assert.Equal(conversations, runs[run].At("first.page.conversations.nodes")!.AsArray().Count);
            Assert.Equal(runs[run]!["first"]!.Compact(), runs[run]!["second"]!.Compact());
        }
    }

    [Fact]
    public async Task A_query_with_a_hash_that_is_not_its_own_is_refused_over_post_and_get_and_not_remembered()
    {
        await using var host = await GatewayHost.StartAsync();
        var query = "{ __typename }";
        var otherHash = PersistedOperations.Sha256Hex("{ other }");

        var mismatch = await host.PostAsync(new { query, extensions = PersistedQuery(otherHash) });
        using var overGet = await GetAsync(host, $"/graphql?query={Uri.EscapeDataString(query)}&extensions={Uri.EscapeDataString(JsonSerializer.Serialize(PersistedQuery(otherHash)))}");
        var lookup = await host.PostAsync(new { extensions = PersistedQuery(otherHash) });

        Assert.Null(mismatch["data"]);
        Assert.Equal("PERSISTED_QUERY_HASH_MISMATCH", mismatch.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Equal("PERSISTED_QUERY_HASH_MISMATCH", JsonNode.Parse(await overGet.Content.ReadAsStringAsync()).At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", lookup.At("errors.0.extensions.code")!.GetValue<string>());
    }

    [Fact]
    public async Task With_automatic_persisted_queries_off_an_unknown_hash_is_not_supported_and_a_query_with_its_hash_still_runs()
    {
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:PersistedOperations:AutomaticEnabled"] = "false" });
        var query = "{ __typename }";
        var hash = PersistedOperations.Sha256Hex(query);

        var withQuery = await host.PostAsync(new { query, extensions = PersistedQuery(hash) });
        var hashOnly = await host.PostAsync(new { extensions = PersistedQuery(hash) });

        Assert.Equal("Query", withQuery.At("data.__typename")!.GetValue<string>());
        Assert.Equal("PERSISTED_QUERY_NOT_SUPPORTED", hashOnly.At("errors.0.extensions.code")!.GetValue<string>());
    }

    /// <summary>Queries answer alike by id and documentId over POST and GET; the reply (a mutation) is sent once by id, answered
    /// the same by documentId (its idempotency key), and refused over GET.</summary>
    [Fact]
    public async Task The_repositorys_operations_run_as_trusted_documents_by_id_and_documentId_over_post_and_get()
    {
        using var documents = TrustedDocuments.FromRepository();
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Gateway:PersistedOperations:Directory"] = documents.Directory,
            ["Gateway:PersistedOperations:OnlyAllowPersisted"] = "true",
        });
        var (replyIn, _) = host.Person();
        await host.MakePersonWriteAsync(new { pageId = host.Page.PageId, platform = "messenger", conversationId = replyIn, text = "Hello?" });
        var inbox = await host.PostAsync(new { documentId = "sha256:" + documents.HashOf("inbox"), variables = new { pageId = host.Page.PageId } });
        var conversation = inbox.At("data.page.conversations.edges.0.node")!;
        var pageAsParticipant = Gateway.Api.GlobalIds.Encode(Gateway.Api.GlobalIds.Participant, host.Page.PageId);
        var variables = new
        {
            pageId = host.Page.PageId,
            platform = "MESSENGER",
            conversationId = conversation["id"]!.GetValue<string>(),
            userId = conversation["participants"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).First(id => id != pageAsParticipant),
            input = new { conversationId = replyIn, text = "Sent as a trusted document.", idempotencyKey = "trusted-reply-1" },
        };

        foreach (var (name, hash) in documents.Hashes)
        {
            var byId = await host.PostAsync(new { id = hash, variables });
            var byDocumentId = await host.PostAsync(new { documentId = "sha256:" + hash, variables });
            using var byGet = await GetAsync(host, $"/graphql?id={hash}&variables={Uri.EscapeDataString(JsonSerializer.Serialize(variables))}");

            Assert.True(byId["errors"] is null, $"{name}: {byId.Compact()}");
            Assert.NotNull(byId["data"]);
            Assert.Equal(byId.Compact(), byDocumentId.Compact());
            if (name == "reply")
            {
                Assert.Null(byId.At("data.sendMessage.errors"));
                Assert.Equal(HttpStatusCode.MethodNotAllowed, byGet.StatusCode);
                continue;
            }
            Assert.Equal(byId.Compact(), JsonNode.Parse(await byGet.Content.ReadAsStringAsync())!.Compact());
        }
        Assert.Single(host.Emulator.SentMessages);
    }

    [Fact]
    public async Task Only_persisted_refuses_query_text_and_unknown_ids_with_a_code()
    {
        using var documents = TrustedDocuments.FromRepository();
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Gateway:PersistedOperations:Directory"] = documents.Directory,
            ["Gateway:PersistedOperations:OnlyAllowPersisted"] = "true",
        });
        var query = "{ __typename }";

        using var text = await PostRawAsync(host, new { query });
        using var registration = await PostRawAsync(host, new { query, extensions = PersistedQuery(PersistedOperations.Sha256Hex(query)) });
        using var unknown = await PostRawAsync(host, new { documentId = "sha256:" + PersistedOperations.Sha256Hex(query) });

        foreach (var (response, code) in new[] { (text, "PERSISTED_OPERATION_REQUIRED"), (registration, "PERSISTED_OPERATION_REQUIRED"), (unknown, "PERSISTED_OPERATION_NOT_FOUND") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(code, JsonNode.Parse(await response.Content.ReadAsStringAsync()).At("errors.0.extensions.code")!.GetValue<string>());
        }
        Assert.Empty(host.UpstreamCalls);
    }

    private static object PersistedQuery(string hash) => new { persistedQuery = new { version = 1, sha256Hash = hash } };

    private static async Task<HttpResponseMessage> PostRawAsync(GatewayHost host, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Page.AccessToken);
        return await host.Client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> GetAsync(GatewayHost host, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Page.AccessToken);
        return await host.Client.SendAsync(request);
    }

    /// <summary><c>schema/operations/*.graphql</c> copied to a temporary folder as <c>{sha256}.graphql</c>, hashed now.</summary>
    private sealed class TrustedDocuments : IDisposable
    {
        private TrustedDocuments(string directory, Dictionary<string, string> hashes)
        {
            Directory = directory;
            Hashes = hashes;
        }

        public string Directory { get; }

        /// <summary>Operation file name (without extension) → the SHA-256 of its text.</summary>
        public Dictionary<string, string> Hashes { get; }

        public string HashOf(string name) => Hashes[name];

        public static TrustedDocuments FromRepository()
        {
            var directory = System.IO.Directory.CreateTempSubdirectory("trusted-documents-").FullName;
            var hashes = new Dictionary<string, string>();
            foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(GatewayHost.RepositoryRoot, "schema", "operations"), "*.graphql"))
            {
                var text = File.ReadAllText(file);
                var hash = PersistedOperations.Sha256Hex(text);
                File.WriteAllText(Path.Combine(directory, hash + ".graphql"), text);
                hashes[Path.GetFileNameWithoutExtension(file)] = hash;
            }
            return new TrustedDocuments(directory, hashes);
        }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
