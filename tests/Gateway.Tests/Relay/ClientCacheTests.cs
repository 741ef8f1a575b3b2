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
/// configured as the README shows, page through <c>schema/operations/inbox.graphql</c> against the real gateway: two
/// pages of three conversations merge into the first six, with no cache warnings.
/// </summary>
public sealed class ClientCacheTests(ITestOutputHelper output)
{
    private const string ApolloClientScript = """
        import { readFileSync } from 'node:fs';
        import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
        import { relayStylePagination } from '@apollo/client/utilities';

        const warnings = [];
        for (const level of ['warn', 'error']) console[level] = (...args) => warnings.push(args.map(String).join(' '));
        const Inbox = gql(readFileSync(process.env.OPERATION_PATH, 'utf8'));
        const client = new ApolloClient({
          link: new HttpLink({ uri: process.env.GRAPHQL_URL, headers: { authorization: `Bearer ${process.env.PAGE_TOKEN}` } }),
          cache: new InMemoryCache({
            typePolicies: {
              Page: { fields: { conversations: relayStylePagination(['platform', 'userId', 'folder']) } },
              Conversation: { fields: { messages: relayStylePagination() } },
            },
          }),
        });
        const variables = { pageId: process.env.PAGE_ID, conversations: 3, messages: 2 };
        const first = await client.query({ query: Inbox, variables });
        const after = first.data.page.conversations.pageInfo.endCursor;
        // The next page from the network (the cache already answers the paged field); the type policy merges it in.
        await client.query({ query: Inbox, variables: { ...variables, after }, fetchPolicy: 'network-only' });
        const merged = client.readQuery({ query: Inbox, variables });
        console.log(JSON.stringify({
          firstPage: first.data.page.conversations.edges.map(e => e.node.id),
          merged: merged.page.conversations.edges.map(e => e.node.id),
          hasNextPage: merged.page.conversations.pageInfo.hasNextPage,
          warnings,
        }));
        """;

    private const string UrqlScript = """
        import { readFileSync } from 'node:fs';
        import { Client, fetchExchange, gql } from '@urql/core';
        import { cacheExchange } from '@urql/exchange-graphcache';
        import { relayPagination } from '@urql/exchange-graphcache/extras';

        const warnings = [];
        for (const level of ['warn', 'error']) console[level] = (...args) => warnings.push(args.map(String).join(' '));
        const Inbox = gql(readFileSync(process.env.OPERATION_PATH, 'utf8'));
        const client = new Client({
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
        const variables = { pageId: process.env.PAGE_ID, conversations: 3, messages: 2 };
        const first = await client.query(Inbox, variables).toPromise();
        if (first.error) throw first.error;
        const after = first.data.page.conversations.pageInfo.endCursor;
        const merged = await client.query(Inbox, { ...variables, after }).toPromise();
        if (merged.error) throw merged.error;
        console.log(JSON.stringify({
          firstPage: first.data.page.conversations.edges.map(e => e.node.id),
          merged: merged.data.page.conversations.edges.map(e => e.node.id),
          hasNextPage: merged.data.page.conversations.pageInfo.hasNextPage,
          warnings,
        }));
        """;

    [Fact]
    public Task Apollo_client_relay_style_pagination_merges_two_pages_of_the_inbox() => PagesMergeAsync("apollo.mjs", ApolloClientScript);

    [Fact]
    public Task Urql_graphcache_relay_pagination_merges_two_pages_of_the_inbox() => PagesMergeAsync("urql.mjs", UrqlScript);

    private async Task PagesMergeAsync(string name, string script)
    {
        var folder = await NodeTools.InstallAsync(FrontendPackages.All);
        await using var host = await GatewayHost.StartAsync();
        var expected = (await host.QueryAsync($$"""
            query { page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 6) { edges { node { id } } } } }
            """)).At("data.page.conversations.edges")!.AsArray().Select(edge => edge.At("node.id")!.GetValue<string>()).ToList();

        var (exitCode, log) = await NodeTools.RunScriptAsync(folder, name, script, new Dictionary<string, string>
        {
            ["OPERATION_PATH"] = Path.Combine(GatewayHost.RepositoryRoot, "schema", "operations", "inbox.graphql"),
            ["GRAPHQL_URL"] = new Uri(host.Client.BaseAddress!, "/graphql").ToString(),
            ["PAGE_TOKEN"] = host.Page.AccessToken,
            ["PAGE_ID"] = host.Page.PageId,
        }, TimeSpan.FromMinutes(2));

        output.WriteLine(log);
        Assert.Equal(0, exitCode);
        var outcome = JsonNode.Parse(log.Split('\n').Last(line => line.StartsWith('{')))!;
        Assert.Equal(expected.Take(3), outcome["firstPage"]!.AsArray().Select(id => id!.GetValue<string>()));
        Assert.Equal(expected, outcome["merged"]!.AsArray().Select(id => id!.GetValue<string>()));
        Assert.True(outcome["hasNextPage"]!.GetValue<bool>());
        Assert.Empty(outcome["warnings"]!.AsArray());
    }
}
