/** Live connections (WebSockets and SSE streams) one client address may hold open at once. */
export const MAX_LIVE_CONNECTIONS_PER_ADDRESS = 100;
const WARN_EVERY_MS = 60_000;

/**
 * Open live connections per client address. Each holds its subscriptions' listeners and queues:
 * without a bound, one address could open thousands (a dashboard holds one).
 */
export function createConnectionLimit(max = MAX_LIVE_CONNECTIONS_PER_ADDRESS) {
  const open = new Map<string, number>();
  const warned = new Map<string, number>();
  const keyOf = (address: string | undefined) => address ?? '';
  return {
    max,
    /**
     * Whether a refusal of `address` is worth a log line: once a minute per address, so that a
     * client retrying in a loop does not fill the log.
     */
    shouldWarn(address: string | undefined, now = Date.now()): boolean {
      const key = keyOf(address);
      if (now - (warned.get(key) ?? Number.NEGATIVE_INFINITY) < WARN_EVERY_MS) return false;
      if (warned.size >= 10_000) {
        for (const [k, at] of warned) if (now - at >= WARN_EVERY_MS) warned.delete(k);
      }
      warned.set(key, now);
      return true;
    },
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
