import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from '../api-client/errors.ts';
import type { Logger } from '../logger.ts';

/** `status: 'degraded'` (a part is down) is answered with 503; a throw too. */
export type HealthCheck = () => Promise<Record<string, unknown>>;

/** A handler for the paths it matches (REST, /docs, /metrics), given the URL asked for. */
export type Handler = {
  matches(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
};

/** A handler mounted on one path, with WebSocket upgrades and long-lived responses of its own. */
export type Mount = {
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): unknown;
  attach(server: Server): void;
  /** Takes no new requests over its long-lived connections; their subscriptions go on. */
  drain(): void;
  /** Lets its long-lived connections go, within `graceMs`. */
  close(graceMs: number): Promise<void>;
};

export type AppDeps = {
  logger: Logger;
  health: HealthCheck;
  graphql?: Mount;
  /** Tried in order after /health and GraphQL. */
  handlers?: Handler[];
  /** How long stop() lets subscribers (WebSocket, SSE) stay before closing them. Default 1 s. */
  shutdownGraceMs?: number;
  timeouts?: Partial<RequestTimeouts>;
  /**
   * Resolves once what the routes use has started. The port can be bound before (a start that
   * cannot listen then fails before any job runs): requests wait for it, WebSocket upgrades are
   * taken from then on, and a rejection answers the waiting requests 503.
   */
  ready?: Promise<void>;
};

/**
 * How long a client may take to send its headers, and its whole request, before it is answered
 * 408; checked every `checkEveryMs`. Node's defaults (60 s, 300 s, every 30 s) let a slow client
 * hold a socket for minutes. Responses, SSE streams included, are not limited.
 */
export type RequestTimeouts = { headersMs: number; requestMs: number; checkEveryMs: number };

const TIMEOUTS: RequestTimeouts = { headersMs: 10_000, requestMs: 30_000, checkEveryMs: 2_000 };

export type App = {
  server: Server;
  start(port: number, host?: string): Promise<number>;
  /**
   * The first step of a stop: new connections are refused and new requests answered 503, while
   * the requests under way and the open subscriptions carry on until stop().
   */
  stopAccepting(): Promise<void>;
  stop(): Promise<void>;
};

/** The HTTP front door: /health, GraphQL, then the handlers (REST, /docs, /metrics). */
export function buildApp(deps: AppDeps): App {
  const timeouts = { ...TIMEOUTS, ...deps.timeouts };
  const options = {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: timeouts.checkEveryMs,
  };
  const serve = (req: IncomingMessage, res: ServerResponse) =>
    route(req, res, deps).catch((error: unknown) => {
      // The id the answer gives, to find the log line by.
      const requestId = randomUUID();
      deps.logger.error(
        { err: error, url: req.url, request_id: requestId },
        'Unhandled HTTP error',
      );
      if (res.headersSent) res.end();
      else sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.', { requestId });
    });
  let accepting = true;
  let releaseWaiting = () => {};
  const stopping = new Promise<void>((resolve) => {
    releaseWaiting = resolve;
  });
  // Until `deps.ready` settles, requests wait for it: true once served, false for a start that
  // failed or a stop meanwhile.
  let gate: Promise<boolean> | null = deps.ready
    ? Promise.race([
        deps.ready.then(
          () => true,
          () => false,
        ),
        stopping.then(() => false),
      ])
    : null;
  void gate?.then((ready) => {
    if (ready) gate = null;
  });
  const unavailable = (res: ServerResponse) =>
    sendError(
      res,
      503,
      'UNAVAILABLE',
      accepting ? 'riftwatch failed to start and is stopping' : 'riftwatch is stopping',
      {},
      { connection: 'close' },
    );
  const server = createServer(options, (req, res) => {
    if (!accepting) unavailable(res);
    else if (!gate) void serve(req, res);
    else void gate.then((ready) => (ready ? serve(req, res) : unavailable(res)));
  });
  const graceMs = deps.shutdownGraceMs ?? 1000;
  let closed: Promise<void> | null = null;
  const stopAccepting = async () => {
    if (closed) return;
    accepting = false;
    deps.graphql?.drain();
    releaseWaiting();
    closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
  };
  return {
    server,
    start: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          // Once listening: a WebSocket server attached before would also get (and print) a
          // failed listen's error, where start-up reports it in one line.
          const attach = () => deps.graphql?.attach(server);
          if (deps.ready) deps.ready.then(attach, () => {});
          else attach();
          resolve((server.address() as AddressInfo).port);
        });
      }),
    stopAccepting,
    // New connections are refused at once (if stopAccepting() did not already); subscribers get
    // the grace period, then every connection still open (an SSE stream, a slow request) is
    // closed: stop never hangs.
    stop: async () => {
      await stopAccepting();
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      await deps.graphql?.close(graceMs);
      await closed;
      clearTimeout(force);
    },
  };
}

/**
 * The URL a request asks for: its target in origin form (`/path?query`) or absolute form; null
 * for anything else. `new URL(target, base)` would read `//host/path` as another host's `/path`
 * (a proxy filtering on the path prefix would let it through) and throw on a malformed target.
 */
function targetUrl(req: Pick<IncomingMessage, 'url'>): URL | null {
  const target = req.url ?? '/';
  const originForm = target.startsWith('/') && !target.startsWith('//');
  if (!originForm && !/^https?:\/\/[^/]/i.test(target)) return null;
  try {
    return new URL(originForm ? `http://localhost${target}` : target);
  } catch {
    return null;
  }
}

async function route(req: IncomingMessage, res: ServerResponse, deps: AppDeps): Promise<void> {
  const url = targetUrl(req);
  if (!url) {
    sendError(res, 400, 'INVALID_INPUT', 'The request target is not a path');
    return;
  }
  const path = url.pathname;
  if (path === '/health') {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      methodNotAllowed(res, ['GET']);
      return;
    }
    try {
      const health = { status: 'ok', ...(await deps.health()) };
      sendJson(res, health.status === 'degraded' ? 503 : 200, health);
    } catch (error) {
      deps.logger.warn({ err: error }, 'Health check failed');
      sendJson(res, 503, { status: 'unavailable' });
    }
    return;
  }
  if (deps.graphql && path === deps.graphql.path) {
    await deps.graphql.handle(req, res);
    return;
  }
  const handler = deps.handlers?.find((h) => h.matches(path));
  if (handler) {
    await handler.handle(req, res, url);
    return;
  }
  sendError(res, 404, 'NOT_FOUND', `Nothing at ${path.slice(0, 200)}`);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The REST API's error body (`{ error: { code, message } }`), for every path. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  details: ApiError['details'] = {},
  headers: Record<string, string> = {},
): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  sendJson(res, status, new ApiError(code, message, details).toJSON());
}

/**
 * 405 with the methods the path takes in Allow, HEAD wherever GET is: every handler answers HEAD
 * as GET and leaves the body out to Node, which sends none for HEAD.
 */
export function methodNotAllowed(res: ServerResponse, methods: string[]): void {
  const allow = [...new Set(methods)]
    .flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method]))
    .join(', ');
  sendError(res, 405, 'METHOD_NOT_ALLOWED', `Allowed: ${allow}`, {}, { allow });
}
