/** Live connections (WebSockets and SSE streams) one client address may hold open at once. */
export const MAX_LIVE_CONNECTIONS_PER_ADDRESS = 100;

/**
 * Open live connections per client address. Each holds its subscriptions' listeners and queues:
 * without a bound, one address could open thousands (a dashboard holds one).
 */
export function createConnectionLimit(max = MAX_LIVE_CONNECTIONS_PER_ADDRESS) {
  const open = new Map<string, number>();
  const keyOf = (address: string | undefined) => address ?? '';
  return {
    max,
    /** Whether `address` may open one more. */
    hasRoom: (address: string | undefined) => (open.get(keyOf(address)) ?? 0) < max,
    /** Counts a connection until `release` is called (once). */
    hold(address: string | undefined): () => void {
      const key = keyOf(address);
      open.set(key, (open.get(key) ?? 0) + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(key) ?? 1) - 1;
        if (left > 0) open.set(key, left);
        else open.delete(key);
      };
    },
  };
}

export type ConnectionLimit = ReturnType<typeof createConnectionLimit>;

export const TOO_MANY_CONNECTIONS = 'Too many live connections from this address';
