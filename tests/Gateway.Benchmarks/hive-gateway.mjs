// Hive Gateway serving the inbox over the Graph API emulator, as a GraphQL Mesh user would write it by hand: the
// gateway runtime with an empty supergraph, and our schema's inbox shape as additional type definitions and resolvers.
// The benchmark harness runs it (node hive-gateway.mjs) with:
//   PORT             the loopback port to serve /graphql on
//   GRAPH_API        the Graph API's versioned root, e.g. http://127.0.0.1:5000/v25.0
//   VARIANT          per-endpoint: one REST call per resolver (the conversation listing, then each conversation's messages)
//                    field-expansion: the conversations resolver asks for messages.limit(n){…} itself, one Graph call
//   RESPONSE_CACHE_MS  0, or the time-to-live of Hive's response cache (useResponseCache), per caller's token
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import InMemoryLRUCache from '@graphql-mesh/cache-inmemory-lru';
import { Kind, parse } from 'graphql';

const graphApi = process.env.GRAPH_API;
const fieldExpansion = process.env.VARIANT === 'field-expansion';
const responseCacheMs = Number(process.env.RESPONSE_CACHE_MS ?? '0');

const typeDefs = /* GraphQL */ `
  enum Platform { MESSENGER INSTAGRAM }
  type Query { page(id: ID!): Page }
  type Page {
    id: ID!
    conversations(platform: Platform! = MESSENGER, first: Int = 10, after: String): ConversationsConnection!
  }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type ConversationsConnection { pageInfo: PageInfo! edges: [ConversationsEdge!]! }
  type ConversationsEdge { cursor: String! node: Conversation! }
  type Conversation {
    id: ID!
    updatedTime: String
    snippet: String
    unreadCount: Int
    participants: [Participant!]!
    messages(first: Int = 10): MessagesConnection!
  }
  type Participant { id: ID! name: String username: String }
  type MessagesConnection { pageInfo: PageInfo! edges: [MessagesEdge!]! }
  type MessagesEdge { cursor: String! node: Message! }
  type Message { id: ID! createdTime: String from: Participant message: String }
`;

const conversationFields = 'id,updated_time,snippet,unread_count,participants';
const messageFields = 'id,created_time,from,message';

/** One Graph API GET with the caller's Page token (the Bearer token it sent) as Meta's access_token. */
async function graph(context, path, parameters) {
  const token = context.request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
  const url = `${graphApi}/${path}?${new URLSearchParams({ ...parameters, access_token: token })}`;
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`Graph API answered ${response.status} for ${path}`);
  }
  return response.json();
}

/** A Relay connection over a Graph list: Graph has one cursor per list, so every edge carries the list's `after`. */
function connection(list, toNode) {
  const after = list?.paging?.cursors?.after ?? null;
  return {
    pageInfo: { hasNextPage: Boolean(list?.paging?.next), endCursor: after },
    edges: (list?.data ?? []).map(item => ({ cursor: after ?? '', node: toNode(item) })),
  };
}

/** Relay global ids as our gateway writes them (base64 of `Type:metaId`), so that both answer with the same ids. */
const globalId = (type, id) => Buffer.from(`${type}:${id}`).toString('base64');
const time = value => (value ? new Date(value.replace(/\+0000$/, 'Z')).toISOString() : null);
const participant = p => ({ id: globalId('Participant', p.id), name: p.name ?? null, username: p.username ?? null });
const message = m => ({ id: globalId('Message', m.id), createdTime: time(m.created_time), from: m.from ? participant(m.from) : null, message: m.message ?? '' });
const conversation = c => ({
  id: globalId('Conversation', c.id),
  metaId: c.id,
  updatedTime: time(c.updated_time),
  snippet: c.snippet ?? '',
  unreadCount: c.unread_count ?? 0,
  participants: (c.participants?.data ?? []).map(participant),
  prefetchedMessages: c.messages,
});

/** The `first` argument of the `messages` field selected under `edges { node { … } }`, if the query selects messages. */
function messagesLimit(info) {
  const field = (selections, name) => selections?.find(s => s.kind === Kind.FIELD && s.name.value === name);
  const node = field(field(info.fieldNodes[0].selectionSet?.selections, 'edges')?.selectionSet?.selections, 'node');
  const messages = field(node?.selectionSet?.selections, 'messages');
  if (!messages) {
    return null;
  }
  const first = messages.arguments.find(a => a.name.value === 'first')?.value;
  if (!first) {
    return 10;
  }
  return first.kind === Kind.VARIABLE ? info.variableValues[first.name.value] ?? 10 : Number(first.value);
}

const resolvers = {
  Query: {
    page: (_, { id }) => ({ id: globalId('Page', id), metaId: id }),
  },
  Page: {
    conversations: async (page, { platform, first, after }, context, info) => {
      const limit = fieldExpansion ? messagesLimit(info) : null;
      const fields = limit === null ? conversationFields : `${conversationFields},messages.limit(${limit}){${messageFields}}`;
      const parameters = { platform: platform.toLowerCase(), limit: String(first), fields, ...(after ? { after } : {}) };
      return connection(await graph(context, `${page.metaId}/conversations`, parameters), conversation);
    },
  },
  Conversation: {
    messages: async (parent, { first }, context) => {
      const list = parent.prefetchedMessages
        ?? await graph(context, `${parent.metaId}/messages`, { limit: String(first), fields: messageFields });
      return connection(list, message);
    },
  },
};

const gateway = createGatewayRuntime({
  supergraph: parse('type Query { _unused: String }'),
  additionalTypeDefs: typeDefs,
  additionalResolvers: resolvers,
  logging: 'warn',
  ...(responseCacheMs > 0
    ? {
        // What the hive-gateway CLI does by default: an in-memory LRU cache behind useResponseCache.
        cache: new InMemoryLRUCache(),
        responseCaching: { ttl: responseCacheMs, session: request => request.headers.get('authorization') },
      }
    : {}),
});

createServer(gateway).listen(Number(process.env.PORT), '127.0.0.1');
