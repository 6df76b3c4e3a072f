import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Execute } from '../api-client/api.ts';
import { ApiError, type GraphQLResponse } from '../api-client/errors.ts';
import { UsageError } from './exit-codes.ts';

export type Connection = { url: string; token?: string | undefined };

/** `http://host:8000` (or its /graphql) → the GraphQL endpoint. */
export function graphqlUrl(base: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UsageError(
      `Invalid --url ${JSON.stringify(base)}: expected e.g. http://localhost:8000`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`Invalid --url ${JSON.stringify(base)}: expected http:// or https://`);
  }
  if (!url.pathname.endsWith('/graphql'))
    url.pathname = `${url.pathname.replace(/\/$/, '')}/graphql`;
  return url;
}

const unreachable = (url: URL | string, cause: unknown) =>
  new ApiError(
    'UNAVAILABLE',
    `Cannot reach riftwatch at ${String(url)}: ${cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause)}`,
  );

/** Queries and mutations over HTTP POST, the token as a bearer header. */
export function httpExecutor(connection: Connection): Execute {
  const url = graphqlUrl(connection.url);
  return async (query, variables) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(connection.token && { authorization: `Bearer ${connection.token}` }),
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw unreachable(url, error);
    }
    const text = await response.text();
    try {
      return JSON.parse(text) as GraphQLResponse;
    } catch {
      throw new ApiError(
        'INTERNAL_SERVER_ERROR',
        `${url} answered HTTP ${response.status} without GraphQL JSON: ${text.slice(0, 120)}`,
      );
    }
  };
}

/** A graphql-ws client for subscriptions (the token in connectionParams). */
export function wsClient(connection: Connection): Client {
  const url = graphqlUrl(connection.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return createClient({
    url: url.toString(),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    ...(connection.token && { connectionParams: { authorization: `Bearer ${connection.token}` } }),
  });
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
    throw unreachable(graphqlUrl(connection.url), reason || 'connection closed');
  }
}
