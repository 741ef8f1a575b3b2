using System.Text.Json.Nodes;
using Gateway.Api;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Sending;
using Xunit.Abstractions;

namespace Gateway.Tests.Relay;

/// <summary>A frontend replies with Apollo Client, with its defaults and the normalized cache README configures: the shipped
/// <c>ReplyMutation</c> answers the message, the cached inbox shows it once the payload's <c>message</c> is added to its
/// conversation, and the gateway's own next inbox answer shows it too.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class ReplyClientTests(ITestOutputHelper output)
{
    private const string ApolloReplyScript = """
        import { readFileSync } from 'node:fs';
        import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
        import { relayStylePagination } from '@apollo/client/utilities';

        const warnings = [];
        for (const level of ['warn', 'error']) console[level] = (...args) => warnings.push(args.map(String).join(' '));
        const operation = name => gql(readFileSync(`${process.env.OPERATIONS}/${name}.graphql`, 'utf8'));
        const client = new ApolloClient({
          link: new HttpLink({ uri: process.env.GRAPHQL_URL, headers: { authorization: `Bearer ${process.env.PAGE_TOKEN}` } }),
          cache: new InMemoryCache({
            typePolicies: {
              Page: { fields: { conversations: relayStylePagination(['platform', 'userId', 'folder']) } },
              Conversation: { fields: { messages: relayStylePagination() } },
            },
          }),
        });
        const inbox = operation('inbox');
        const variables = { pageId: process.env.PAGE_ID };
        const conversationId = process.env.CONVERSATION_ID;
        await client.query({ query: inbox, variables });

        const { data } = await client.mutate({
          mutation: operation('reply'),
          variables: { input: { conversationId, text: 'Sent with Apollo Client.', idempotencyKey: 'apollo-reply-1' } },
          // The payload's message joins its conversation's cached messages, newest first, and becomes its snippet.
          update(cache, { data: { sendMessage } }) {
            if (!sendMessage.message) return;
            cache.modify({
              id: cache.identify({ __typename: 'Conversation', id: conversationId }),
              fields: {
                snippet: () => sendMessage.message.message,
                messages: (existing, { toReference }) => ({
                  ...existing,
                  edges: [{ __typename: 'MessagesEdge', cursor: '', node: toReference(sendMessage.message) }, ...existing.edges],
                }),
              },
            });
          },
        });
        const newest = result => {
          const conversation = result.page.conversations.edges.find(edge => edge.node.id === conversationId).node;
          return { snippet: conversation.snippet, message: conversation.messages.edges[0].node };
        };
        const cached = newest(client.readQuery({ query: inbox, variables }));
        const served = newest((await client.query({ query: inbox, variables, fetchPolicy: 'network-only' })).data);
        console.log(JSON.stringify({ payload: data.sendMessage, cached, served, warnings }));
        """;

    [Fact]
    public async Task Apollo_client_sends_the_shipped_reply_and_its_cached_and_served_inbox_show_the_payloads_message()
    {
        var folder = await NodeTools.InstallAsync(FrontendPackages.All);
        await using var host = await Sends.StartWithWebhooksAsync();
        var written = await host.PersonWritesAsync();

        var (exitCode, log) = await NodeTools.RunScriptAsync(folder, "apollo-reply.mjs", ApolloReplyScript, new Dictionary<string, string>
        {
            ["OPERATIONS"] = Path.Combine(GatewayHost.RepositoryRoot, "schema", "operations"),
            ["GRAPHQL_URL"] = new Uri(host.Client.BaseAddress!, "/graphql").ToString(),
            ["PAGE_TOKEN"] = host.Page.AccessToken,
            ["PAGE_ID"] = host.Page.PageId,
            ["CONVERSATION_ID"] = GlobalIds.Encode(GlobalIds.Conversation, written.ConversationId),
        }, TimeSpan.FromMinutes(2));

        output.WriteLine(log);
        Assert.Equal(0, exitCode);
        var outcome = JsonNode.Parse(log.Split('\n').Last(line => line.StartsWith('{')))!;
        var sent = Assert.Single(host.Emulator.SentMessages);
        var message = outcome.At("payload.message")!;
        Assert.Null(outcome.At("payload.errors"));
        Assert.Equal(GlobalIds.Encode(GlobalIds.Message, sent.MessageId!), message["id"]!.GetValue<string>());
        Assert.Equal("Sent with Apollo Client.", message["message"]!.GetValue<string>());
        foreach (var inbox in new[] { outcome["cached"]!, outcome["served"]! })
        {
            Assert.Equal(message["id"]!.GetValue<string>(), inbox.At("message.id")!.GetValue<string>());
            Assert.Equal("Sent with Apollo Client.", inbox["snippet"]!.GetValue<string>());
        }
        Assert.Empty(outcome["warnings"]!.AsArray());
    }
}
