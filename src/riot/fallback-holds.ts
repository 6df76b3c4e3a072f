import type { Clock } from './clock.ts';
import { serviceOf } from './endpoints.ts';

/**
 * What the limiter adds to a 429 without Retry-After: the guessed wait doubles while the service
 * keeps refusing, and the requests waiting for it are released spread over a while after it, so
 * they do not all meet the still-refusing service at the same instant.
 */

type Hold = {
  routing: string;
  covers: (method: string) => boolean;
  endsAt: number;
  spreadMs: number;
};

type Streak = { count: number; lastAt: number };

export type FallbackHoldsOptions = {
  clock: Clock;
  /** [0, 1): where in its spread each waiter is released; tests inject a fixed sequence. */
  random: () => number;
  /** Longest guessed wait (clock ms), whatever the streak. */
  maxMs: number;
};

export function createFallbackHolds({ clock, random, maxMs }: FallbackHoldsOptions) {
  const streaks = new Map<string, Streak>();
  let holds: Hold[] = [];
  const keyOf = (routing: string, method: string) => `${routing}\n${serviceOf(method)}`;

  return {
    /**
     * The fallback wait for a 429 without Retry-After to a request sent at `sentAt`. Requests sent
     * before the previous such 429 arrived met the same refusal: they do not lengthen the wait.
     */
    waitFor(routing: string, method: string, sentAt: number, baseMs: number): number {
      const key = keyOf(routing, method);
      const streak = streaks.get(key) ?? { count: 0, lastAt: Number.NEGATIVE_INFINITY };
      if (sentAt > streak.lastAt) streak.count++;
      streak.lastAt = clock.now();
      streaks.set(key, streak);
      return Math.max(baseMs, Math.min(maxMs, baseMs * 2 ** (streak.count - 1)));
    },

    succeeded(routing: string, method: string): void {
      streaks.delete(keyOf(routing, method));
    },

    /** Holds back the methods `covers` accepts until `ms` from now, then releases them over `ms / 2`. */
    hold(routing: string, covers: (method: string) => boolean, ms: number): void {
      const now = clock.now();
      holds = holds.filter((h) => h.endsAt + h.spreadMs > now);
      holds.push({ routing, covers, endsAt: now + ms, spreadMs: ms / 2 });
    },

    /** When a request may ask for its budget (clock ms): now, or a jittered time after a hold. */
    readyAt(routing: string, method: string): number {
      let at = 0;
      for (const h of holds) {
        if (h.routing !== routing || !h.covers(method)) continue;
        at = Math.max(at, h.endsAt + random() * h.spreadMs);
      }
      return at;
    },
  };
}

/** Which methods a block of `scope` covers, given the method that was refused. */
export function coveredBy(scope: 'app' | 'service' | 'method', refused: string) {
  if (scope === 'app') return () => true;
  if (scope === 'service') return (method: string) => serviceOf(method) === serviceOf(refused);
  return (method: string) => method === refused;
}
