import { createClient } from 'graphql-ws';
import { debounce } from './debounce.ts';
import { request } from './request.ts';

export type Connection = 'connecting' | 'live' | 'reconnecting';

const RESUBSCRIBE_MS = 3000;
/** A ping is sent 10 s after the last pong. */
const KEEP_ALIVE_MS = 10_000;
/**
 * How long a ping may go unanswered before the socket is taken for dead. graphql-ws sends the next
 * ping only after a pong, so a socket that went silent (a network gone, a NAT that forgot the
 * flow) would otherwise never be noticed, and the badge would say Live with no event coming.
 */
const PONG_WAIT_MS = 5000;

type Listeners = Set<() => void>;
const listen = (listeners: Listeners, listener: () => void) => {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
};

/**
 * The dashboard's one link to the server: queries and mutations over HTTP (a token only when
 * given), subscriptions over graphql-ws on the same path. The socket is retried forever (a server
 * restart, a laptop waking up); graphql-ws re-subscribes every live subscription by itself.
 * `onReconnect` listeners hear that the socket is back after a disconnect; `onMissed` listeners
 * that events may have been lost (the socket was down, or a subscription was made again), to
 * read again what may have changed meanwhile.
 */
export function createApi(endpoint = '/graphql') {
  const connectionListeners = new Set<(state: Connection) => void>();
  const reconnectListeners: Listeners = new Set();
  const missedListeners: Listeners = new Set();
  let connection: Connection = 'connecting';
  // Several subscriptions made again at once: what they missed is read once.
  const notifyMissed = debounce(() => {
    for (const listener of missedListeners) listener();
  }, 100);
  const setConnection = (next: Connection) => {
    connection = next;
    for (const listener of connectionListeners) listener(next);
  };

  const url = new URL(endpoint, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  let pongWait: ReturnType<typeof setTimeout> | undefined;
  const socket = createClient({
    url: url.href,
    lazy: false,
    keepAlive: KEEP_ALIVE_MS,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    // Quick first retries (a restart takes a few seconds), then every 5 s at most.
    retryWait: (retries) => new Promise((r) => setTimeout(r, Math.min(250 * 2 ** retries, 5000))),
    onNonLazyError: (error) => console.error('graphql-ws gave up', error),
    on: {
      connected: (_socket, _payload, wasRetry) => {
        setConnection('live');
        if (!wasRetry) return;
        for (const listener of reconnectListeners) listener();
        notifyMissed();
      },
      // A ping unanswered in time: the socket is dropped at once (a close would wait for the
      // dead peer's answer), and graphql-ws connects again as after any other close.
      ping: (received) => {
        if (received) return;
        clearTimeout(pongWait);
        pongWait = setTimeout(() => socket.terminate(), PONG_WAIT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongWait);
      },
      closed: () => {
        clearTimeout(pongWait);
        setConnection('reconnecting');
      },
    },
  });

  /**
   * Calls `onData` with each event's data; returns the unsubscribe function. A subscription the
   * server ends with an error (one that fell too far behind, or a socket graphql-ws gave up on)
   * is made again a moment later, and what it missed is read again (`onMissed`).
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
              notifyMissed();
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
    /** The socket is back after a disconnect: the server can be reached again. */
    onReconnect: (listener: () => void) => listen(reconnectListeners, listener),
    /** Events may have been lost: read again what they would have changed. */
    onMissed: (listener: () => void) => listen(missedListeners, listener),
  };
}

export type Api = ReturnType<typeof createApi>;
