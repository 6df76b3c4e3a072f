import { createClient } from 'graphql-ws';
import { request } from './request.ts';

export type Connection = 'connecting' | 'live' | 'reconnecting';

const RESUBSCRIBE_MS = 3000;

/**
 * The dashboard's one link to the server: queries and mutations over HTTP (a token only when
 * given), subscriptions over graphql-ws on the same path. The socket is retried forever (a server
 * restart, a laptop waking up); graphql-ws re-subscribes every live subscription by itself, and
 * `onReconnect` listeners refetch what may have changed while the socket was down.
 */
export function createApi(endpoint = '/graphql') {
  const connectionListeners = new Set<(state: Connection) => void>();
  const reconnectListeners = new Set<() => void>();
  let connection: Connection = 'connecting';
  // Several subscriptions made again at once: what they missed is read once.
  let reconnected: ReturnType<typeof setTimeout> | undefined;
  const notifyReconnect = () => {
    clearTimeout(reconnected);
    reconnected = setTimeout(() => {
      for (const listener of reconnectListeners) listener();
    }, 100);
  };
  const setConnection = (next: Connection) => {
    connection = next;
    for (const listener of connectionListeners) listener(next);
  };

  const url = new URL(endpoint, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = createClient({
    url: url.href,
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    // Quick first retries (a restart takes a few seconds), then every 5 s at most.
    retryWait: (retries) => new Promise((r) => setTimeout(r, Math.min(250 * 2 ** retries, 5000))),
    onNonLazyError: (error) => console.error('graphql-ws gave up', error),
    on: {
      connected: (_socket, _payload, wasRetry) => {
        setConnection('live');
        if (wasRetry) notifyReconnect();
      },
      closed: () => setConnection('reconnecting'),
    },
  });

  /**
   * Calls `onData` with each event's data; returns the unsubscribe function. A subscription the
   * server ends with an error (one that fell too far behind, or a socket graphql-ws gave up on)
   * is made again a moment later, and what it missed is read again (`onReconnect`).
   */
  function subscribe<T>(query: string, onData: (data: T) => void): () => void {
    let stopped = false;
    let unsubscribe = () => {};
    let retry: ReturnType<typeof setTimeout> | undefined;
    const start = () => {
      unsubscribe = socket.subscribe<T>(
        { query },
        {
          next: (result) => {
            if (result.data) onData(result.data);
          },
          error: (error) => {
            console.error('Subscription failed; subscribing again', query, error);
            if (stopped) return;
            retry = setTimeout(() => {
              start();
              notifyReconnect();
            }, RESUBSCRIBE_MS);
          },
          complete: () => {},
        },
      );
    };
    start();
    return () => {
      stopped = true;
      clearTimeout(retry);
      unsubscribe();
    };
  }

  return {
    request: <T>(query: string, variables?: Record<string, unknown>, token?: string | null) =>
      request<T>(endpoint, query, variables, token),
    subscribe,
    connection: () => connection,
    onConnection(listener: (state: Connection) => void): () => void {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    onReconnect(listener: () => void): () => void {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };
}

export type Api = ReturnType<typeof createApi>;
