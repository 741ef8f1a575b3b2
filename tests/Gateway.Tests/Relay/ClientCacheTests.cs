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

        // urql aborts the request of an operation it tears down while the request is in flight (graphcache running a query
        // again once the next page is written, say), and Node reports that abort as uncaught: it is not a failure here.
        for (const event of ['uncaughtException', 'unhandledRejection']) {
          process.on(event, error => {
            if (error?.name === 'AbortError') return;
            process.stderr.write(`${error?.stack ?? error}\n`);
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

    [Fact]
    public Task Apollo_client_relay_style_pagination_merges_two_pages_of_the_inbox_and_of_a_thread() => PagesMergeAsync("apollo.mjs", ApolloClientScript);

    [Fact]
    public Task Urql_graphcache_relay_pagination_merges_two_pages_of_the_inbox_and_of_a_thread() => PagesMergeAsync("urql.mjs", UrqlScript);

    private async Task PagesMergeAsync(string name, string script)
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
            ["GRAPHQL_URL"] = new Uri(host.Client.BaseAddress!, "/graphql").ToString(),
            ["PAGE_TOKEN"] = host.Page.AccessToken,
            ["PAGE_ID"] = host.Page.PageId,
        }, TimeSpan.FromMinutes(2));

        output.WriteLine(log);
        Assert.Equal(0, exitCode);
        var outcome = JsonNode.Parse(log.Split('\n').Last(line => line.StartsWith('{')))!;
        AssertMerged(conversations.Select(edge => edge.At("node.id")!.GetValue<string>()).ToList(), outcome["inbox"]!);
        AssertMerged(conversations[0].At("node.messages.edges")!.AsArray().Select(edge => edge.At("node.id")!.GetValue<string>()).ToList(), outcome["thread"]!);
        Assert.Empty(outcome["warnings"]!.AsArray());
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
