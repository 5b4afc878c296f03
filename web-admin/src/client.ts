// The GraphQL client: urql with graphcache (a normalised cache keyed by
// Node ids, Relay pagination for connections), the session's bearer token
// (refreshed with refreshToken when the server answers UNAUTHENTICATED),
// Accept-Language from the UI language, and subscriptions over the
// server's graphql-transport-ws websocket (graph/ws.go; the token goes in
// connection_init as {"Authorization": "Bearer …"}). A new client is made
// for every session change (src/session.ts).
//
// Next to it, makeClient builds a second client with no cache exchange
// (same auth, same headers): the audited reads of personal data in clear
// (Alert.contact on /tasks, Person.identity on /persons) go through it, so
// the clear values are never written to graphcache and live only in the
// state of the component that asked (useNoCacheClient).
import { createContext, useContext } from 'react';
import { Client, fetchExchange, subscriptionExchange, type Operation } from 'urql';
import { cacheExchange } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import { authExchange } from '@urql/exchange-auth';
import { createClient as createWSClient, type Client as WSClient } from 'graphql-ws';
import { graphql } from './gql';
import { loadTokens, saveTokens } from './session';
import { currentLanguage } from './i18n';

const RefreshDocument = graphql(`
  mutation RefreshToken($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      accessToken
      refreshToken
      expiresAt
      refreshExpiresAt
    }
  }
`);

// Operations sent without the bearer token: a stale token would make the
// server answer 401 before they run.
const anonymous = new Set(['Login', 'RefreshToken']);

function operationName(op: Operation): string | undefined {
  for (const d of op.query.definitions) {
    if (d.kind === 'OperationDefinition') return d.name?.value;
  }
  return undefined;
}

const cache = () =>
  cacheExchange({
    // Types without an id are kept inside their parent.
    keys: {
      Viewer: () => null,
      Permission: () => null,
      AuthPayload: () => null,
      PageInfo: () => null,
      AccountStatusPayload: () => null,
      DecideApplicationPayload: () => null,
      HealthCode: () => null,
      // /persons/:id and /tracing (issue 14): answers without an id.
      PersonIdentity: () => null,
      Visit: () => null,
      Trajectory: () => null,
      CoLocation: () => null,
      Contact: () => null,
      SiteCategoryInfo: (d) => (d.category as string) ?? null,
      AlertStep: () => null,
      AlertPause: () => null,
      VisitContact: () => null,
    },
    // Relay pagination merges the pages of a list as "load more" fetches
    // them (same arguments but after/first). A field listed here must
    // always be selected with edges and pageInfo, or graphcache misses.
    // Nested connections (Region.children, Site.children…) are not merged:
    // the tree pages them itself.
    resolvers: {
      Query: {
        accounts: relayPagination(),
        applications: relayPagination(),
        regions: relayPagination(),
        sites: relayPagination(),
        pendingReactivations: relayPagination(),
        alerts: relayPagination(),
      },
    },
  });

export interface Made {
  client: Client;
  /** No cache exchange: for the audited reads of personal data in clear. */
  noCacheClient: Client;
  dispose: () => void;
}

export function makeClient(onSessionEnded: () => void): Made {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  let ws: WSClient | null = null;
  const wsClient = () => {
    ws ??= createWSClient({
      url: `${proto}//${location.host}/graphql`,
      lazy: true,
      connectionParams: () => {
        const t = loadTokens();
        return t ? { Authorization: `Bearer ${t.accessToken}` } : {};
      },
    });
    return ws;
  };

  const auth = () =>
    authExchange(async (utils) => ({
      addAuthToOperation(op) {
        const t = loadTokens();
        if (!t || anonymous.has(operationName(op) ?? '')) return op;
        return utils.appendHeaders(op, { Authorization: `Bearer ${t.accessToken}` });
      },
      willAuthError(op) {
        const t = loadTokens();
        if (!t || anonymous.has(operationName(op) ?? '')) return false;
        return Date.parse(t.expiresAt) - 10_000 < Date.now();
      },
      didAuthError(error, op) {
        if (!loadTokens() || anonymous.has(operationName(op) ?? '')) return false;
        return (
          error.response?.status === 401 ||
          error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')
        );
      },
      async refreshAuth() {
        const t = loadTokens();
        if (!t) return;
        const r = await utils.mutate(RefreshDocument, { refreshToken: t.refreshToken });
        if (r.data?.refreshToken) {
          saveTokens(r.data.refreshToken, false);
        } else if (r.error?.networkError && r.error.graphQLErrors.length === 0) {
          // The server was not reached (offline: the scan station keeps
          // working, issue 14): keep the session and try again later.
        } else {
          saveTokens(null, false);
          onSessionEnded();
        }
      },
    }));
  const fetchOptions = () => ({ headers: { 'Accept-Language': currentLanguage() } });

  const client = new Client({
    url: '/graphql',
    preferGetMethod: false,
    fetchOptions,
    exchanges: [
      cache(),
      auth(),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = wsClient().subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  const noCacheClient = new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions,
    exchanges: [auth(), fetchExchange],
  });
  return { client, noCacheClient, dispose: () => void ws?.dispose() };
}

export const NoCacheClientContext = createContext<Client | null>(null);

/** The session's client without a cache (see the comment at the top). */
export function useNoCacheClient(): Client {
  const c = useContext(NoCacheClientContext);
  if (!c) throw new Error('useNoCacheClient outside NoCacheClientContext');
  return c;
}
