using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;

namespace Gateway.Tests.InboxSync;

/// <summary>The gateway with a message archive, and the GraphQL that searches it and syncs a Page's inbox into it.</summary>
internal static class ArchiveGateway
{
    public const string Search = """
        query Search($page: ID!, $query: String!, $first: Int, $after: String, $platform: Platform, $from: DateTime, $to: DateTime) {
          page(id: $page) {
            searchMessages(query: $query, first: $first, after: $after, platform: $platform, from: $from, to: $to) {
              pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
              edges { cursor snippet node { metaId message createdTime from { metaId } } conversation { metaId platform } }
            }
          }
        }
        """;

    public const string StartSync = """
        mutation Start($page: ID!, $platform: Platform!) {
          startInboxSync(input: { pageId: $page, platform: $platform }) { inboxSync { state } errors { __typename ... on InboxSyncError { code message } } }
        }
        """;

    public const string SyncStatus = """
        query Status($page: ID!, $platform: Platform!) {
          inboxSync(pageId: $page, platform: $platform) {
            pageId platform state conversationsDone conversationsTotal conversationsArchived conversationsUnchanged messagesArchived callsUsed
            startedAt finishedAt lastError
          }
        }
        """;

    /// <summary>A gateway whose archive is the database <paramref name="archive"/> names (migrated at its start).</summary>
    public static Task<GatewayHost> StartAsync(string archive, EmulatorOptions? emulator = null, IReadOnlyDictionary<string, string?>? settings = null,
        bool configurePages = false, EmulatorServer? sharedEmulator = null)
        => GatewayHost.StartAsync(emulator, settings: new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["ConnectionStrings:Archive"] = archive,
        }, configurePages: configurePages, sharedEmulator: sharedEmulator);

    /// <summary>A SQLite archive in a file of its own under <paramref name="folder"/>.</summary>
    public static string SqliteArchive(DirectoryInfo folder) => $"Data Source={Path.Combine(folder.FullName, $"archive-{Guid.NewGuid():N}.db")}";

    /// <summary>POSTs a GraphQL request with the credentials <paramref name="authenticate"/> sets (none when null).</summary>
    public static async Task<JsonObject> SendAsync(this GatewayHost host, string query, object? variables, Action<HttpRequestMessage>? authenticate)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        authenticate?.Invoke(request);
        using var response = await host.Client.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public static Task<JsonObject> StartSyncAsync(this GatewayHost host, string pageId, string platform = "MESSENGER", string? token = null)
        => host.QueryAsync(StartSync, new { page = pageId, platform }, token);

    /// <summary>The sync's status once <paramref name="until"/> holds (polling <c>inboxSync</c>).</summary>
    public static Task<JsonNode> WaitForSyncAsync(this GatewayHost host, string pageId, Func<JsonNode, bool> until, string platform = "MESSENGER",
        string? token = null, int seconds = 60)
        => Eventually.ObjectAsync(async () =>
        {
            var status = (await host.QueryAsync(SyncStatus, new { page = pageId, platform }, token)).At("data.inboxSync");
            return status is not null && until(status) ? status : null;
        }, TimeSpan.FromSeconds(seconds), $"the {platform} sync of Page {pageId}");

    public static Func<JsonNode, bool> InState(string state) => status => status["state"]!.GetValue<string>() == state;

    public static int Int(this JsonNode node, string path) => node.At(path)!.GetValue<int>();
}
