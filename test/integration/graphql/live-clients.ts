import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

// biome-ignore lint/suspicious/noExplicitAny: test assertions over untyped JSON
type Loose = any;

export type Payload = { data?: Record<string, Loose> | null; errors?: Loose[] };

/**
 * A graphql-ws client on `url` (http → ws). Lazy by default: connected while an operation runs;
 * `lazy: false` keeps one socket open until disposed.
 */
export function wsClient(
  url: string,
  connectionParams?: Record<string, unknown>,
  { lazy = true } = {},
): Client {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy,
  });
}

/** Runs one operation over `client` and collects every result until it completes. */
export async function collect(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
  onEach?: (payload: Payload) => void,
): Promise<Payload[]> {
  const results: Payload[] = [];
  for await (const result of client.iterate({ query, variables })) {
    results.push(result as Payload);
    onEach?.(result as Payload);
  }
  return results;
}

/** Subscribes over SSE (Yoga's built-in): every `next` payload until `complete`. */
export async function collectSse(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  onEach?: (payload: Payload) => void,
  signal?: AbortSignal,
): Promise<{ payloads: Payload[]; completed: boolean }> {
  const response = await fetch(url, {
    signal,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query, variables }),
  });
  if (!response.body) throw new Error(`no SSE body (status ${response.status})`);
  const payloads: Payload[] = [];
  let completed = false;
  let buffer = '';
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(message)?.[1];
        const data = /^data: (.*)$/m.exec(message)?.[1];
        if (event === 'complete') completed = true;
        else if (data) {
          const payload = JSON.parse(data) as Payload;
          payloads.push(payload);
          onEach?.(payload);
        }
        end = buffer.indexOf('\n\n');
      }
    }
  } catch {
    // The server closed the stream (shutdown): what was received stands.
  }
  return { payloads, completed };
}
