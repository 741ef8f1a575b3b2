using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Relay;

/// <summary>npm packages of the frontend tests: the client libraries and relay-compiler, installed once.</summary>
internal static class FrontendPackages
{
    public static readonly Dictionary<string, string> All = new()
    {
        ["@apollo/client"] = "4.3.8",
        ["@urql/core"] = "6.0.3",
        ["@urql/exchange-graphcache"] = "9.0.2",
        ["graphql"] = "16.15.0",
        ["relay-compiler"] = "21.0.1",
        ["rxjs"] = "7.8.2",
    };
}

/// <summary>
/// The normalized caches of Apollo Client (<c>relayStylePagination</c>) and urql's graphcache (<c>relayPagination</c>),
/// configured as the README shows, page through <c>schema/operations</c> against the real gateway: two pages of three
/// conversations (inbox) and of three messages (thread) merge into the first six, with no cache warnings.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class ClientCacheTests(ITestOutputHelper output, SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    private const string ApolloClientScript = """
        import { readFileSync } from 'node:fs';
        import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
        import { relayStylePagination } from '@apollo/client/utilities';

        const warnings = [];
        for (const level of ['warn', 'error']) console[level] = (...args) => warnings.push(args.map(String).join(' '));
        const operation = name => gql(readFileSync(`${process.env.OPERATIONS}/${name}.graphql`, 'utf8'));
        const newClient = () => new ApolloClient({
          link: new HttpLink({ uri: process.env.GRAPHQL_URL, headers: { authorization: `Bearer ${process.env.PAGE_TOKEN}` } }),
          cache: new InMemoryCache({
            typePolicies: {
              Page: { fields: { conversations: relayStylePagination(['platform', 'userId', 'folder']) } },
              Conversation: { fields: { messages: relayStylePagination() } },
            },
          }),
        });

        // Two pages of a list, the second from the network (the cache already answers the paged field), merged by the cache.
        async function twoPages(query, variables, connection) {
          const client = newClient();
          const first = await client.query({ query, variables });
          const after = connection(first.data).pageInfo.endCursor;
          await client.query({ query, variables: { ...variables, after }, fetchPolicy: 'network-only' });
          const merged = connection(client.readQuery({ query, variables }));
          return { firstPage: connection(first.data).edges.map(e => e.node.id), merged: merged.edges.map(e => e.node.id), hasNextPage: merged.pageInfo.hasNextPage };
        }

        const inbox = await twoPages(operation('inbox'), { pageId: process.env.PAGE_ID, conversations: 3, messages: 2 }, data => data.page.conversations);
        const thread = await twoPages(operation('thread'), { conversationId: inbox.firstPage[0], first: 3 }, data => data.conversation.messages);
        console.log(JSON.stringify({ inbox, thread, warnings }));
        """;

    private const string UrqlScript = """
        import { readFileSync } from 'node:fs';
        import { Client, fetchExchange, gql } from '@urql/core';
        import { cacheExchange } from '@urql/exchange-graphcache';
        import { relayPagination } from '@urql/exchange-graphcache/extras';

        // urql with its own defaults (its Accept lists text/event-stream): any error the process does not handle fails the test.
        for (const event of ['uncaughtException', 'unhandledRejection']) {
          process.on(event, error => {
            process.stderr.write(`${event}: ${error?.stack ?? error}\n`);
            process.exit(1);
          });
        }
        const warnings = [];
        for (const level of ['warn', 'error']) console[level] = (...args) => warnings.push(args.map(String).join(' '));
        const operation = name => gql(readFileSync(`${process.env.OPERATIONS}/${name}.graphql`, 'utf8'));
        const newClient = () => new Client({
          url: process.env.GRAPHQL_URL,
          fetchOptions: { headers: { authorization: `Bearer ${process.env.PAGE_TOKEN}` } },
          exchanges: [
            cacheExchange({
              resolvers: {
                Page: { conversations: relayPagination() },
                Conversation: { messages: relayPagination() },
              },
            }),
            fetchExchange,
          ],
        });

        // Two pages of a list; graphcache answers the second query with every page it holds, merged.
        async function twoPages(query, variables, connection) {
          const client = newClient();
          const first = await client.query(query, variables).toPromise();
          if (first.error) throw first.error;
          const after = connection(first.data).pageInfo.endCursor;
          const merged = await client.query(query, { ...variables, after }).toPromise();
          if (merged.error) throw merged.error;
          const list = connection(merged.data);
          return { firstPage: connection(first.data).edges.map(e => e.node.id), merged: list.edges.map(e => e.node.id), hasNextPage: list.pageInfo.hasNextPage };
        }

        const inbox = await twoPages(operation('inbox'), { pageId: process.env.PAGE_ID, conversations: 3, messages: 2 }, data => data.page.conversations);
        const thread = await twoPages(operation('thread'), { conversationId: inbox.firstPage[0], first: 3 }, data => data.conversation.messages);
        console.log(JSON.stringify({ inbox, thread, warnings }));
        """;

    /// <summary>urql exactly as its README sets it up (its default exchanges, its default fetch options and <c>Accept</c>),
    /// with only the Page token added: twenty rounds of two inbox pages and two thread pages. Each query's promise takes the
    /// first result and tears the operation down; an answer streamed as events was then aborted mid-read, and Node reported
    /// the abort as an unhandled rejection (2 of 3 runs of this test failed so before the gateway answered queries in JSON).</summary>
    private const string UrqlDefaultsScript = """
        import { readFileSync } from 'node:fs';
        import { Client, cacheExchange, fetchExchange, gql } from '@urql/core';

        for (const event of ['uncaughtException', 'unhandledRejection']) {
          process.on(event, error => {
            process.stderr.write(`${event}: ${error?.name} ${error?.stack ?? error}\n`);
            process.exit(1);
          });
        }
        const operation = name => gql(readFileSync(`${process.env.OPERATIONS}/${name}.graphql`, 'utf8'));
        const client = new Client({
          url: process.env.GRAPHQL_URL,
          exchanges: [cacheExchange, fetchExchange],
          fetchOptions: { headers: { authorization: `Bearer ${process.env.PAGE_TOKEN}` } },
        });
        async function twoPages(query, variables, connection) {
          const first = await client.query(query, variables).toPromise();
          if (first.error) throw first.error;
          const second = await client.query(query, { ...variables, after: connection(first.data).pageInfo.endCursor }).toPromise();
          if (second.error) throw second.error;
          return [...connection(first.data).edges, ...connection(second.data).edges].map(e => e.node.id);
        }
        let inbox, thread;
        for (let round = 0; round < 20; round++) {
          inbox = await twoPages(operation('inbox'), { pageId: process.env.PAGE_ID, conversations: 3, messages: 2 }, data => data.page.conversations);
          thread = await twoPages(operation('thread'), { conversationId: inbox[0], first: 3 }, data => data.conversation.messages);
        }
        console.log(JSON.stringify({ inbox, thread }));
        """;

    [Fact]
    public async Task Urql_with_its_default_exchanges_and_accept_header_pages_the_inbox_and_a_thread_with_no_unhandled_error()
    {
        // The gateway as its own process, as a frontend team runs it: in the test's process the race with the stream's
        // last event went the client's way.
        var host = await hosts.ForTestAsync();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Meta__GraphApiBaseUrl"] = host.Emulator.BaseAddress.ToString().TrimEnd('/'),
        });
        var (log, inbox, thread) = await RunAsync("urql-defaults.mjs", UrqlDefaultsScript, new Uri(gateway.Address, "/graphql"));

        var outcome = JsonNode.Parse(log.Split('\n').Last(line => line.StartsWith('{')))!;
        Assert.Equal(inbox, outcome["inbox"]!.AsArray().Select(id => id!.GetValue<string>()));
        Assert.Equal(thread, outcome["thread"]!.AsArray().Select(id => id!.GetValue<string>()));
    }

    [Fact]
    public Task Apollo_client_relay_style_pagination_merges_two_pages_of_the_inbox_and_of_a_thread() => PagesMergeAsync("apollo.mjs", ApolloClientScript);

    [Fact]
    public Task Urql_with_its_default_settings_pages_the_inbox_and_a_thread_through_graphcache_with_no_unhandled_error() => PagesMergeAsync("urql.mjs", UrqlScript);

    private async Task PagesMergeAsync(string name, string script)
    {
        var (log, inbox, thread) = await RunAsync(name, script);

        var outcome = JsonNode.Parse(log.Split('\n').Last(line => line.StartsWith('{')))!;
        AssertMerged(inbox, outcome["inbox"]!);
        AssertMerged(thread, outcome["thread"]!);
        Assert.Empty(outcome["warnings"]!.AsArray());
    }

    /// <summary>Runs a client script against the shared gateway (or another over the same emulator); its log, and the first six conversations of the inbox
    /// and the first six messages of the first one's thread, read directly.</summary>
    private async Task<(string Log, IReadOnlyList<string> Inbox, IReadOnlyList<string> Thread)> RunAsync(string name, string script, Uri? graphql = null)
    {
        var folder = await NodeTools.InstallAsync(FrontendPackages.All);
        var host = await hosts.ForTestAsync();
        var direct = await host.QueryAsync($$"""
            query { page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 6) { edges { node { id messages(first: 6) { edges { node { id } } } } } } } }
            """);
        var conversations = direct.At("data.page.conversations.edges")!.AsArray();

        var (exitCode, log) = await NodeTools.RunScriptAsync(folder, name, script, new Dictionary<string, string>
        {
            ["OPERATIONS"] = Path.Combine(GatewayHost.RepositoryRoot, "schema", "operations"),
            ["GRAPHQL_URL"] = (graphql ?? new Uri(host.Client.BaseAddress!, "/graphql")).ToString(),
            ["PAGE_TOKEN"] = host.Page.AccessToken,
            ["PAGE_ID"] = host.Page.PageId,
        }, TimeSpan.FromMinutes(2));

        output.WriteLine(log);
        Assert.Equal(0, exitCode);
        return (log, conversations.Select(edge => edge.At("node.id")!.GetValue<string>()).ToList(),
            conversations[0].At("node.messages.edges")!.AsArray().Select(edge => edge.At("node.id")!.GetValue<string>()).ToList());
    }

    /// <summary>Three on the first page, six once the second is merged in, and more to come.</summary>
    private static void AssertMerged(IReadOnlyList<string> firstSix, JsonNode pages)
    {
        Assert.Equal(6, firstSix.Count);
        Assert.Equal(firstSix.Take(3), pages["firstPage"]!.AsArray().Select(id => id!.GetValue<string>()));
        Assert.Equal(firstSix, pages["merged"]!.AsArray().Select(id => id!.GetValue<string>()));
        Assert.True(pages["hasNextPage"]!.GetValue<bool>());
    }
}
