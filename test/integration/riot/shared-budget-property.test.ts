import { afterEach, describe, expect, it } from 'vitest';
import { peakInWindow } from '../../../bench/quota-math.ts';
import type { LimitWindow } from '../../../src/riot/rate-limit-headers.ts';
import { rng } from '../../unit/riot/limiter-helpers.ts';
import { headers, sharedBudget, sleep } from './redis-budget-helpers.ts';

// 1 s of Riot's → 20 ms here: a schedule of a few hundred requests runs in about a second.
const SCALE = 0.02;

type Arrival = { routing: string; method: string; at: number };

const peak = (times: number[], windowSeconds: number) =>
  peakInWindow(
    [...times].sort((a, b) => a - b),
    windowSeconds * 1000 * SCALE,
  );

const format = (ws: LimitWindow[]) => ws.map((w) => `${w.limit}:${w.windowSeconds}`).join(',');

let budget: ReturnType<typeof sharedBudget>;
afterEach(() => budget?.close());

/** Two or three limiters on one shared budget, random demand spread over them; real time. */
async function runSchedule(seed: number) {
  const random = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const short = { limit: int(2, 8), windowSeconds: int(1, 2) };
  const app = [short, { limit: short.limit + int(5, 25), windowSeconds: int(5, 20) }];
  const methods: Record<string, LimitWindow[]> = {
    a: [{ limit: int(2, 30), windowSeconds: int(2, 10) }],
    b: random() < 0.5 ? [] : [{ limit: int(1, 6), windowSeconds: int(1, 4) }],
  };
  const appHeader = format(app);
  budget = sharedBudget();
  const limiters = Array.from({ length: int(2, 3) }, () =>
    budget.limiter({ timeScale: SCALE, defaultAppLimits: app }, { pollMs: 5 }),
  );
  const arrivals: Arrival[] = [];
  const callers = int(30, 90);
  const burstiness = random();
  const ms = () => int(0, 8);
  let t = 0;
  const done: Promise<void>[] = [];
  for (let i = 0; i < callers; i++) {
    t += random() < burstiness ? 0 : int(0, 8);
    const limiter = limiters[int(0, limiters.length - 1)];
    const routing = random() < 0.7 ? 'euw1' : 'europe';
    const method = random() < 0.6 ? 'a' : 'b';
    const priority = random() < 0.2 ? 'interactive' : 'background';
    const [start, transit, rest, fails] = [t, ms(), ms(), random() < 0.05];
    done.push(
      (async () => {
        await sleep(start);
        const permit = await limiter?.acquire({ routing, method, priority });
        // Riot counts the request at some instant between sending and the answer.
        await sleep(transit);
        arrivals.push({ routing, method, at: performance.now() });
        await sleep(rest);
        const methodHeader = format(methods[method] ?? []);
        const sent = {
          'X-App-Rate-Limit': appHeader,
          ...(methodHeader ? { 'X-Method-Rate-Limit': methodHeader } : {}),
        };
        permit?.complete(fails ? null : 200, fails ? undefined : headers(sent));
      })(),
    );
  }
  await Promise.all(done);
  await budget.close();
  return { app, methods, arrivals, callers };
}

describe('rate limiters sharing Redis under random arrival schedules', () => {
  it('never let the processes together exceed any sliding window (app or method)', async () => {
    let saturated = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const { app, methods, arrivals, callers } = await runSchedule(seed);
      expect(arrivals, `seed ${seed}: every caller served`).toHaveLength(callers);
      for (const routing of ['euw1', 'europe']) {
        const mine = arrivals.filter((a) => a.routing === routing);
        for (const w of app) {
          const p = peak(
            mine.map((a) => a.at),
            w.windowSeconds,
          );
          expect(p, `seed ${seed} ${routing} app ${format([w])}`).toBeLessThanOrEqual(w.limit);
          if (p === w.limit) saturated++;
        }
        for (const [method, windows] of Object.entries(methods)) {
          const times = mine.filter((a) => a.method === method).map((a) => a.at);
          for (const w of windows) {
            expect(
              peak(times, w.windowSeconds),
              `seed ${seed} ${routing} ${method} ${format([w])}`,
            ).toBeLessThanOrEqual(w.limit);
          }
        }
      }
    }
    // Demand filled windows: the limiters had to hold callers back, not merely let them through.
    expect(saturated).toBeGreaterThan(10);
  }, 120_000);
});
