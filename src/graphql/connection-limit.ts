import type { Logger } from '../logger.ts';

/** Live connections (WebSockets and SSE streams) one client address may hold open at once. */
export const MAX_LIVE_CONNECTIONS_PER_ADDRESS = 100;
/** How often a refused address is logged at most: a client retrying in a loop fills no log. */
const WARN_EVERY_MS = 60_000;

export const TOO_MANY_CONNECTIONS = 'Too many live connections from this address';

/**
 * Open live connections per client address. Each holds its subscriptions' listeners and queues:
 * without a bound, one address could open thousands (a dashboard holds one).
 */
export function createConnectionLimit(log: Logger, max = MAX_LIVE_CONNECTIONS_PER_ADDRESS) {
  const open = new Map<string, number>();
  const warned = new Map<string, number>();
  const keyOf = (address: string | undefined) => address ?? '';

  function warn(key: string, now: number): void {
    if (now - (warned.get(key) ?? Number.NEGATIVE_INFINITY) < WARN_EVERY_MS) return;
    if (warned.size >= 10_000) {
      for (const [k, at] of warned) if (now - at >= WARN_EVERY_MS) warned.delete(k);
    }
    warned.set(key, now);
    log.warn({ address: key }, TOO_MANY_CONNECTIONS);
  }

  return {
    /** Whether `address` may open one more; a refusal is logged (see WARN_EVERY_MS). */
    admits(address: string | undefined): boolean {
      const key = keyOf(address);
      if ((open.get(key) ?? 0) < max) return true;
      warn(key, Date.now());
      return false;
    },
    /** Counts a connection until the function it returns is called (once). */
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
