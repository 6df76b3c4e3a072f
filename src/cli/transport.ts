import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Execute } from '../api-client/api.ts';
import { ApiError, type GraphQLResponse } from '../api-client/errors.ts';
import { maskUrlPassword } from '../mask-url.ts';
import { unlikeRiftwatch } from './answer-shape.ts';
import { UsageError } from './exit-codes.ts';

export type Connection = {
  url: string;
  /** Where the URL came from, for messages: --url, or RIFTWATCH_URL. */
  urlName?: string;
  token?: string | undefined;
  /** How long a request, or a subscription's handshake or ping, may go unanswered. */
  timeoutMs: number;
};

/** How long a closing socket waits for the server's closing frame before it is cut. */
const CLOSE_WAIT_MS = 1000;
/** How often a subscription pings the server (at most), so that a frozen one is noticed. */
const KEEP_ALIVE_MS = 10_000;

/** `http://host:8000` (or its /graphql) → the GraphQL endpoint; `name` is where it came from. */
export function graphqlUrl(base: string, name = '--url'): URL {
  const shown = JSON.stringify(maskUrlPassword(base));
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UsageError(`Invalid ${name} ${shown}: expected e.g. http://localhost:8000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`Invalid ${name} ${shown}: expected http:// or https://`);
  }
  // riftwatch takes the admin token as a bearer token, never as a URL's user and password.
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    throw new UsageError(
      `${name} may not contain a user or password (${url}): give the admin token with --token or ADMIN_TOKEN`,
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith('/graphql') ? path : `${path}/graphql`;
  return url;
}

const unreachable = (url: URL | string, cause: unknown) =>
  new ApiError(
    'UNAVAILABLE',
    `Cannot reach riftwatch at ${String(url)}: ${cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause)}`,
  );

const silent = (url: URL, timeoutMs: number) =>
  new ApiError(
    'UNAVAILABLE',
    `riftwatch at ${url} did not answer within ${timeoutMs / 1000} s (--timeout, RIFTWATCH_TIMEOUT)`,
  );

const isTimeout = (error: unknown) => error instanceof Error && error.name === 'TimeoutError';

/** Queries and mutations over HTTP POST, the token as a bearer header. */
export function httpExecutor(connection: Connection): Execute {
  const url = graphqlUrl(connection.url, connection.urlName);
  return async (query, variables) => {
    // One deadline for the whole exchange: the answer's headers and its body.
    const signal = AbortSignal.timeout(connection.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(connection.token && { authorization: `Bearer ${connection.token}` }),
        },
        body: JSON.stringify({ query, variables }),
        // Followed, a 301 or 302 would resend the request as a GET without its body, and one to
        // another host without the token: the redirect is reported instead.
        redirect: 'manual',
        signal,
      });
      text = await response.text();
    } catch (error) {
      throw isTimeout(error) ? silent(url, connection.timeoutMs) : unreachable(url, error);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = undefined;
    }
    if (!isGraphQLResponse(answer)) throw notGraphQL(url, response, text);
    // With errors, data may lack what failed: dataOf reports the error instead.
    if (!answer.errors) {
      expectRiftwatch(url, `answered HTTP ${response.status}`, query, answer.data ?? {});
    }
    return answer;
  };
}

/** What a gateway answers when the server behind it is down or does not answer. */
const GATEWAY_STATUSES = new Set([502, 503, 504]);

/** An answer that is not riftwatch's GraphQL: a redirect, a gateway's error, another server. */
function notGraphQL(url: URL, response: Response, text: string): ApiError {
  const { status } = response;
  const location = response.headers.get('location');
  if (status >= 300 && status < 400 && location !== null) {
    return new ApiError(
      'INTERNAL_SERVER_ERROR',
      `${url} answered HTTP ${status}, a redirect to ${shown(redirectTarget(url, location))}: give --url the address riftwatch answers on`,
    );
  }
  return new ApiError(
    GATEWAY_STATUSES.has(status) ? 'UNAVAILABLE' : 'INTERNAL_SERVER_ERROR',
    `${url} answered HTTP ${status}, not riftwatch's GraphQL: ${shown(text)}`,
  );
}

/** A redirect's Location as an absolute URL, without a password it may carry. */
function redirectTarget(url: URL, location: string): string {
  return maskUrlPassword(URL.canParse(location, url) ? new URL(location, url).href : location);
}

/**
 * Throws when `data` is an answer riftwatch never sends (a field missing, a root field null):
 * another server's, or a broken one's, which the commands' output would otherwise trip over.
 */
function expectRiftwatch(url: URL, answered: string, query: string, data: Record<string, unknown>) {
  const unlike = unlikeRiftwatch(query, data);
  if (unlike) {
    throw new ApiError(
      'INTERNAL_SERVER_ERROR',
      `${url} ${answered}, not riftwatch's GraphQL: ${unlike}`,
    );
  }
}

function isGraphQLResponse(answer: unknown): answer is GraphQLResponse {
  if (typeof answer !== 'object' || answer === null) return false;
  const { data, errors } = answer as { data?: unknown; errors?: unknown };
  if (errors !== undefined) {
    return (
      Array.isArray(errors) &&
      errors.length > 0 &&
      errors.every((e) => typeof (e as { message?: unknown } | null)?.message === 'string')
    );
  }
  return typeof data === 'object' && data !== null;
}

/** The start of an answer, on one line and without control characters (it reaches a terminal). */
function shown(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it drops
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 120)}…` : line || '(empty)';
}

/**
 * A graphql-ws client for subscriptions (the token in connectionParams). A server that does not
 * complete the WebSocket handshake, acknowledge the connection or answer a ping within the
 * timeout ends its subscriptions with an error.
 */
export function wsClient(connection: Connection): Client {
  const url = graphqlUrl(connection.url, connection.urlName);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const { timeoutMs } = connection;
  let socket: WebSocket | undefined;
  let pongDue: NodeJS.Timeout | undefined;
  const client = createClient({
    url: url.toString(),
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { handshakeTimeout: timeoutMs });
        socket = this;
        // graphql-ws hears errors through `onerror`, and lets go of the socket when terminated:
        // one emitted after that (the handshake aborted) would be unhandled and end the process.
        this.on('error', () => {});
      }
    },
    retryAttempts: 0,
    lazy: true,
    connectionAckWaitTimeout: timeoutMs,
    keepAlive: Math.min(KEEP_ALIVE_MS, timeoutMs),
    on: {
      ping: (received) => {
        if (received) return;
        pongDue = setTimeout(() => {
          // Not close(): ws would wait 30 s more for the closing frame a frozen server never sends.
          socket?.emit('error', new Error(`no answer to a ping within ${timeoutMs / 1000} s`));
          socket?.terminate();
        }, timeoutMs);
      },
      pong: (received) => {
        if (received) clearTimeout(pongDue);
      },
      closed: () => clearTimeout(pongDue),
    },
    ...(connection.token && { connectionParams: { authorization: `Bearer ${connection.token}` } }),
  });
  const { dispose, terminate } = client;
  // graphql-ws's terminate only reports the client closed: the socket, even one still in its
  // handshake, is ended here too (Ctrl-C on `watch` must not wait for a silent server).
  client.terminate = () => {
    terminate();
    socket?.terminate();
  };
  // A graceful close waits up to 30 s for the server's closing frame: a second, then it is cut.
  client.dispose = async () => {
    await Promise.resolve(dispose()).catch(() => {});
    const open = socket;
    if (!open || open.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const cut = setTimeout(() => {
        open.terminate();
        resolve();
      }, CLOSE_WAIT_MS);
      open.once('close', () => {
        clearTimeout(cut);
        resolve();
      });
    });
  };
  return client;
}

/** Every payload of one subscription; protocol and socket failures become ApiErrors. */
export async function* subscribe<T>(
  client: Client,
  connection: Connection,
  query: string,
  variables: Record<string, unknown> = {},
): AsyncGenerator<T> {
  const iterator = client.iterate<Record<string, unknown>>({ query, variables });
  try {
    for await (const result of iterator) {
      const first = result.errors?.[0];
      if (first) {
        const code = (first.extensions as Record<string, unknown> | undefined)?.code;
        throw new ApiError(
          typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR',
          first.message,
        );
      }
      const data = result.data ?? {};
      expectRiftwatch(graphqlUrl(connection.url), 'sent an event', query, data);
      yield Object.values(data)[0] as T;
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    // graphql-ws rejects with the CloseEvent, or with GraphQL errors, or an Error.
    if (Array.isArray(error)) {
      const first = error[0] as { message?: string; extensions?: { code?: string } } | undefined;
      throw new ApiError(first?.extensions?.code ?? 'INVALID_INPUT', first?.message ?? 'Refused');
    }
    const reason =
      (error as { reason?: string; message?: string }).reason || (error as Error).message;
    const url = graphqlUrl(connection.url);
    // ws's words for an upgrade answered with an HTTP status: the server was reached.
    if (reason === 'Unexpected server response: 429') {
      throw new ApiError(
        'LIMIT_REACHED',
        `riftwatch at ${url} refused a live connection (HTTP 429): too many are open from this address (dashboards, watch, --wait)`,
      );
    }
    throw unreachable(url, reason || 'connection closed');
  }
}
