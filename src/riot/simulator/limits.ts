import { RIOT_METHODS, type RiotMethod } from '../endpoints.ts';
import { DEV_KEY_APP_LIMITS, formatWindows, type LimitWindow } from '../rate-limit-headers.ts';

export type SimulatorLimits = {
  app: readonly LimitWindow[];
  methods: Partial<Record<RiotMethod, readonly LimitWindow[]>>;
};

/** Dev-key app limits and method limits as seen in real captures (see riot-fixtures/headers). */
export const DEFAULT_SIMULATOR_LIMITS: SimulatorLimits = {
  app: DEV_KEY_APP_LIMITS,
  methods: {
    [RIOT_METHODS.accountByRiotId]: [{ limit: 1000, windowSeconds: 60 }],
    [RIOT_METHODS.accountByPuuid]: [{ limit: 1000, windowSeconds: 60 }],
    [RIOT_METHODS.summonerByPuuid]: [{ limit: 1600, windowSeconds: 60 }],
    [RIOT_METHODS.leagueEntriesByPuuid]: [{ limit: 165, windowSeconds: 60 }],
    [RIOT_METHODS.matchIdsByPuuid]: [{ limit: 500, windowSeconds: 10 }],
    [RIOT_METHODS.match]: [{ limit: 250, windowSeconds: 10 }],
  },
};

/** An exact sliding log of accepted requests: the referee that catches any client overshoot. */
class Log {
  times: number[] = [];
  /** Forgets the times before `t` (none of its windows reaches back that far). */
  forgetBefore(t: number): void {
    const old = this.times.length - this.countSince(t);
    // In batches: shifting one entry per request would copy the whole log each time.
    if (old >= 1024) this.times = this.times.slice(old);
  }
  countSince(t: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.times[mid] as number) > t) hi = mid;
      else lo = mid + 1;
    }
    return this.times.length - lo;
  }
}

export type LimitCheck =
  | { ok: true; headers: Record<string, string> }
  | {
      ok: false;
      type: 'application' | 'method';
      retryAfterSeconds: number;
      headers: Record<string, string>;
    };

/** `recordAccepted`: keep every accepted time for `accepted()` (benchmarks), not only the windows'. */
export function createLimitEnforcer(
  limits: SimulatorLimits,
  timeScale: number,
  now: () => number,
  { recordAccepted = false } = {},
) {
  const logs = new Map<string, Log>();
  const history = new Map<string, number[]>();
  const logOf = (key: string) => {
    let log = logs.get(key);
    if (!log) {
      log = new Log();
      logs.set(key, log);
    }
    return log;
  };
  const ms = (w: LimitWindow) => w.windowSeconds * 1000 * timeScale;
  const limitOf = (w: LimitWindow) => w.limit;

  return {
    /** Admits the request (recording it) or refuses it with Riot's 429 headers. */
    check(routing: string, method: RiotMethod): LimitCheck {
      const t = now();
      const app = logOf(routing);
      const meth = logOf(`${routing}|${method}`);
      const methodWindows = limits.methods[method] ?? [];
      const appCounts = limits.app.map((w) => app.countSince(t - ms(w)));
      const methodCounts = methodWindows.map((w) => meth.countSince(t - ms(w)));
      const headers = (extra: number) => ({
        'X-App-Rate-Limit': formatWindows(limits.app, limits.app.map(limitOf)),
        'X-App-Rate-Limit-Count': formatWindows(
          limits.app,
          appCounts.map((c) => c + extra),
        ),
        ...(methodWindows.length
          ? {
              'X-Method-Rate-Limit': formatWindows(methodWindows, methodWindows.map(limitOf)),
              'X-Method-Rate-Limit-Count': formatWindows(
                methodWindows,
                methodCounts.map((c) => c + extra),
              ),
            }
          : {}),
      });
      const refuse = (
        type: 'application' | 'method',
        windows: readonly LimitWindow[],
        log: Log,
        counts: number[],
      ) => {
        let waitMs = 0;
        windows.forEach((w, i) => {
          if ((counts[i] ?? 0) < w.limit) return;
          const oldest = log.times[log.times.length - w.limit] ?? t; // must leave the window
          waitMs = Math.max(waitMs, oldest + ms(w) - t);
        });
        const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / (1000 * timeScale)));
        return { ok: false as const, type, retryAfterSeconds, headers: headers(1) };
      };
      if (limits.app.some((w, i) => (appCounts[i] ?? 0) >= w.limit))
        return refuse('application', limits.app, app, appCounts);
      if (methodWindows.some((w, i) => (methodCounts[i] ?? 0) >= w.limit))
        return refuse('method', methodWindows, meth, methodCounts);
      app.times.push(t);
      meth.times.push(t);
      app.forgetBefore(t - Math.max(...limits.app.map(ms)));
      meth.forgetBefore(t - Math.max(0, ...methodWindows.map(ms)));
      if (recordAccepted) {
        const times = history.get(routing) ?? [];
        times.push(t);
        history.set(routing, times);
      }
      return { ok: true, headers: headers(1) };
    },
    /** Accepted request times for a routing value (with `recordAccepted`). */
    accepted(routing: string): readonly number[] {
      if (!recordAccepted) throw new Error('Start the simulator with recordAccepted: true');
      return history.get(routing) ?? [];
    },
  };
}
