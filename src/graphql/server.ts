import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { WebSocketServer } from 'ws';
import type { Mount } from '../http/app.ts';
import { useCompiledQueries } from './compiled-queries.ts';
import {
  type ConnectionLimit,
  createConnectionLimit,
  TOO_MANY_CONNECTIONS,
} from './connection-limit.ts';
import { createContextFactory, type GraphQLContext, type GraphQLDeps } from './context.ts';
import { useDocumentCache } from './document-cache.ts';
import { graphiqlOptions } from './graphiql.ts';
import { createMaskError, stableCode } from './mask-error.ts';
import {
  useBodyLimit,
  useMalformedParams,
  useMutationThrottle,
  useStableErrorCodes,
  useUnexpectedErrorLog,
} from './plugins.ts';
import { schema } from './schema.ts';
import { serveWebSocket } from './websocket.ts';

const GRAPHQL_PATH = '/graphql';
/** How long a WebSocket peer has to answer the server's close frame at shutdown. */
const CLOSE_HANDSHAKE_MS = 1000;

const LIMITS = {
  maxBodyBytes: 256 * 1024,
  maxTokens: 2000,
  maxDepth: 12,
  maxAliases: 15,
  maxDirectives: 20,
} as const;

type ServerContext = { req: IncomingMessage; res: ServerResponse };

/**
 * graphql-yoga on `/graphql` (queries and mutations over HTTP, subscriptions over SSE, GraphiQL)
 * plus graphql-ws on the same path. Both go through one envelop: the same context, auth,
 * throttling, limits and error masking.
 */
export function createGraphQLServer(deps: GraphQLDeps) {
  const contextFactory = createContextFactory(deps);
  const log = deps.logger.child({ component: 'graphql' });
  const maskError = createMaskError(log);
  const limit = createConnectionLimit(log, deps.maxLiveConnectionsPerAddress);
  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: (initial) => contextFactory(initial),
    maskedErrors: { maskError },
    graphiql: graphiqlOptions,
    renderGraphiQL,
    landingPage: false,
    // useBodyLimit refuses a POST without a declared length within LIMITS.maxBodyBytes before the
    // body is read, and Node reads no more than the declared length: Yoga's own limit, which pipes
    // every body through a counting TransformStream, would only repeat it at a cost per request.
    maxRequestBodySize: false,
    // useDocumentCache, last among the plugins as Yoga's own cache would be.
    parserAndValidationCache: false,
    logging: {
      debug: (...args) => log.debug({ args }, 'yoga'),
      info: (...args) => log.info({ args }, 'yoga'),
      warn: (...args) => log.warn({ args }, 'yoga'),
      // Yoga logs every error its masking rewrote: a refusal is the caller's doing (debug, or
      // any client could flood the error log), and an unexpected error has its own line already
      // (mask-error.ts), with the request id the client was given.
      error: (...args) => {
        const [first] = args;
        if (args.length === 1 && first instanceof GraphQLError) {
          if (stableCode(first) === 'INTERNAL_SERVER_ERROR') log.debug({ err: first }, 'yoga');
          else log.debug({ err: first }, 'GraphQL request refused');
          return;
        }
        log.error({ args }, 'yoga');
      },
    },
    plugins: [
      // Observers (metrics) first: they also see the results the throttle short-circuits.
      ...(deps.plugins ?? []),
      useLiveConnectionLimit(limit),
      useBodyLimit(LIMITS.maxBodyBytes),
      useMalformedParams(),
      EnvelopArmorPlugin({
        maxTokens: { n: LIMITS.maxTokens },
        maxDepth: { n: LIMITS.maxDepth, flattenFragments: true },
        maxAliases: { n: LIMITS.maxAliases },
        maxDirectives: { n: LIMITS.maxDirectives },
        // Cost is Pothos complexity's job: it knows page sizes and history limits.
        costLimit: { enabled: false },
        // Introspection is on, so field suggestions reveal nothing new.
        blockFieldSuggestion: { enabled: false },
      }),
      useStableErrorCodes(maskError),
      useMutationThrottle(deps.throttle, maskError),
      useUnexpectedErrorLog(log),
      useCompiledQueries(log),
      useDocumentCache(),
    ],
  });

  /**
   * Yoga's answer. An address already holding its share of live connections is refused at once
   * when the answer may be a stream (nothing parsed, nothing run); whether it is one is only known
   * from the answer itself, where useLiveConnectionLimit counts it or refuses it.
   */
  function handle(req: IncomingMessage, res: ServerResponse): unknown {
    if (
      (req.method === 'GET' || req.method === 'POST') &&
      mayStream(req.headers.accept) &&
      !limit.admits(req.socket.remoteAddress)
    ) {
      res.writeHead(429, { 'content-type': LIMIT_REACHED_TYPE });
      res.end(LIMIT_REACHED_BODY);
      return;
    }
    return yoga.requestListener(req, res);
  }

  // Set once riftwatch stops taking requests: a socket left open for its subscriptions takes no
  // new query or mutation (a trigger would reach a draining job engine).
  let draining = false;
  let wss: WebSocketServer | null = null;
  let disposeWs: (() => Promise<void>) | null = null;

  /** Adds graphql-ws to `server` on GRAPHQL_PATH. */
  function attach(server: Server): void {
    const served = serveWebSocket({
      server,
      path: GRAPHQL_PATH,
      maxPayload: LIMITS.maxBodyBytes,
      yoga,
      maskError,
      log,
      limit,
      draining: () => draining,
    });
    wss = served.wss;
    disposeWs = served.dispose;
  }

  /**
   * Subscribers get `graceMs` to leave; then every WebSocket is closed (1001, going away), and a
   * peer that has not answered the close within CLOSE_HANDSHAKE_MS is cut off (ws would wait 30 s
   * for it, and the process' stop with it).
   */
  async function close(graceMs: number): Promise<void> {
    const server = wss;
    if (!server) return;
    const until = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
    const deadline = Date.now() + graceMs;
    while (server.clients.size > 0 && Date.now() < deadline) await until(25);
    const disposed = disposeWs?.() ?? Promise.resolve();
    await Promise.race([disposed, until(CLOSE_HANDSHAKE_MS)]);
    for (const client of server.clients) client.terminate();
    await disposed;
  }

  return {
    yoga,
    /** For buildApp: Yoga answers GRAPHQL_PATH; graphql-ws shares the path. */
    mount: (): Mount => ({
      path: GRAPHQL_PATH,
      handle,
      attach,
      drain: () => {
        draining = true;
      },
      close,
    }),
  };
}

export type GraphQLServer = ReturnType<typeof createGraphQLServer>;

const LIMIT_REACHED_TYPE = 'application/json; charset=utf-8';
const LIMIT_REACHED_BODY = JSON.stringify({
  errors: [{ message: TOO_MANY_CONNECTIONS, extensions: { code: 'LIMIT_REACHED' } }],
});

/**
 * Counts every answer Yoga streams (Server-Sent Events, whatever the request's Accept header made
 * it choose) against its address until the response closes, and refuses one past the address's
 * share, before anything is sent: the stream is cancelled (its subscription has not read
 * anything yet) and the answer is a 429 LIMIT_REACHED.
 */
function useLiveConnectionLimit(limit: ConnectionLimit): Plugin<object, ServerContext> {
  return {
    async onResponse({ response, serverContext, setResponse, fetchAPI }) {
      const type = response.headers.get('content-type') ?? '';
      if (!/^\s*text\/event-stream\b/i.test(type)) return;
      // yoga.fetch without a Node response: nothing to count the stream's life by.
      const { req, res } = serverContext as Partial<ServerContext>;
      if (!res) return;
      const address = req?.socket?.remoteAddress;
      // Gone already: nothing will be sent, and 'close' has been emitted.
      if (res.destroyed || res.writableEnded || res.closed) return;
      if (limit.admits(address)) {
        res.once('close', limit.hold(address));
        return;
      }
      await response.body?.cancel().catch(() => {});
      setResponse(
        new fetchAPI.Response(LIMIT_REACHED_BODY, {
          status: 429,
          headers: { 'content-type': LIMIT_REACHED_TYPE },
        }),
      );
    },
  };
}

/**
 * Whether Yoga may answer a request that accepts `accept` with an event stream, matched as Yoga
 * matches it (graphql-yoga's result-processor/accept.ts): no header is `*\/*`, case and spaces do
 * not count, only UTF-8 is served, a `*` on either side of the slash matches, and what follows a
 * second slash is ignored (`*\/event-stream`, `text/event-stream/x`). Only a cheap early refusal:
 * what is counted is what Yoga really streams (useLiveConnectionLimit).
 */
function mayStream(accept: string | undefined): boolean {
  const entries = (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',');
  return entries.some((entry) => {
    const [type = '', ...params] = entry.split(';');
    const charset = params.find((p) => p.includes('charset=')) ?? 'charset=utf-8';
    const [pre, suf] = type.split('/');
    return (
      charset === 'charset=utf-8' &&
      (pre === '*' || pre === 'text') &&
      (suf === '*' || suf === 'event-stream')
    );
  });
}
