import { describe, expect, it } from 'vitest';
import { peakInWindow } from '../../../bench/quota-math.ts';
import { createManualClock } from '../../../src/riot/clock.ts';
import type { LimitWindow } from '../../../src/riot/rate-limit-headers.ts';
import { createRateLimiter } from '../../../src/riot/rate-limiter.ts';
import { headers, rng } from './limiter-helpers.ts';

type Arrival = { routing: string; method: string; at: number };

// The benchmark's measure, so test and bench agree on what "never exceeded" means.
const peak = (times: number[], windowMs: number) =>
  peakInWindow(
    [...times].sort((a, b) => a - b),
    windowMs,
  );

const format = (ws: LimitWindow[]) => ws.map((w) => `${w.limit}:${w.windowSeconds}`).join(',');

async function runSchedule(seed: number) {
  const random = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const short = { limit: int(2, 8), windowSeconds: int(1, 2) };
  const app = [short, { limit: short.limit + int(1, 15), windowSeconds: int(5, 20) }];
  const methods: Record<string, LimitWindow[]> = {
    a: [{ limit: int(2, 30), windowSeconds: int(2, 10) }],
    b: random() < 0.5 ? [] : [{ limit: int(1, 6), windowSeconds: int(1, 4) }],
  };
  // Shuffled header order, as Riot changed it in 2025.
  const appHeader = random() < 0.5 ? format(app) : format([...app].reverse());
  const clock = createManualClock();
  const limiter = createRateLimiter({ clock, defaultAppLimits: app, marginMs: 0 });
  const arrivals: Arrival[] = [];
  let finished = 0;
  const callers = int(40, 160);
  const burstiness = random();
  let t = 0;
  for (let i = 0; i < callers; i++) {
    t += random() < burstiness ? 0 : int(0, 400);
    const routing = random() < 0.7 ? 'euw1' : 'europe';
    const method = random() < 0.6 ? 'a' : 'b';
    const priority = random() < 0.2 ? 'interactive' : 'background';
    clock.setTimeout(async () => {
      const permit = await limiter.acquire({ routing, method, priority });
      const transit = int(0, 300);
      const fails = random() < 0.05;
      clock.setTimeout(() => arrivals.push({ routing, method, at: clock.now() }), transit);
      clock.setTimeout(() => {
        const { b, a } = methods;
        const methodHeader = format((method === 'a' ? a : b) ?? []);
        const sent = {
          'X-App-Rate-Limit': appHeader,
          ...(methodHeader ? { 'X-Method-Rate-Limit': methodHeader } : {}),
        };
        permit.complete(fails ? null : 200, fails ? undefined : headers(sent));
        finished++;
      }, transit + int(0, 300));
    }, t);
  }
  for (let step = 0; step < 400 && finished < callers; step++) await clock.advance(1000);
  return { app, methods, arrivals, finished, callers };
}

describe('rate limiter under random arrival schedules', () => {
  it('never lets any sliding window of Riot (app or method) exceed its limit', async () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { app, methods, arrivals, finished, callers } = await runSchedule(seed);
      expect(finished, `seed ${seed}: every caller served`).toBe(callers);
      for (const routing of ['euw1', 'europe']) {
        const mine = arrivals.filter((a) => a.routing === routing);
        for (const w of app) {
          const p = peak(
            mine.map((a) => a.at),
            w.windowSeconds * 1000,
          );
          expect(
            p,
            `seed ${seed} ${routing} app ${w.limit}:${w.windowSeconds}`,
          ).toBeLessThanOrEqual(w.limit);
        }
        for (const [method, windows] of Object.entries(methods)) {
          const times = mine.filter((a) => a.method === method).map((a) => a.at);
          for (const w of windows) {
            expect(
              peak(times, w.windowSeconds * 1000),
              `seed ${seed} ${method}`,
            ).toBeLessThanOrEqual(w.limit);
          }
        }
      }
    }
  });

  it('reaches the limit (no needless waiting) when demand exceeds supply', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock, marginMs: 0 });
    const sent: number[] = [];
    const h = headers({ 'X-App-Rate-Limit': '20:1,100:120', 'X-Method-Rate-Limit': '1000:10' });
    for (let i = 0; i < 400; i++) {
      void limiter.acquire({ routing: 'na1', method: 'm' }).then((p) => {
        sent.push(clock.now());
        p.complete(200, h);
      });
    }
    await clock.advance(600_000);
    // 100 per 120 s: 5 windows → exactly 500 possible in [0, 600 s); 400 queued the last in the 4th window's 5th second.
    expect(sent).toHaveLength(400);
    expect(peak(sent, 120_000)).toBe(100);
    expect(peak(sent, 1000)).toBe(20);
    expect(sent[399]).toBe(364_000);
  });
});
