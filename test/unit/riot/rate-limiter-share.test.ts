import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/riot/clock.ts';
import { createRateLimiter } from '../../../src/riot/rate-limiter.ts';
import { headers } from './limiter-helpers.ts';

function setup(budgetShare: number) {
  const clock = createManualClock();
  const limiter = createRateLimiter({ clock, marginMs: 0, budgetShare });
  /** How many of `n` requests for `method` are granted within `ms`; each is answered with `answer`. */
  const grantedWithin = async (
    n: number,
    ms: number,
    answer: Record<string, string>,
    method = 'm',
  ) => {
    let granted = 0;
    for (let i = 0; i < n; i++) {
      void limiter.acquire({ routing: 'euw1', method }).then((p) => {
        granted++;
        p.complete(200, headers(answer));
      });
    }
    await clock.advance(ms);
    return granted;
  };
  return { clock, limiter, grantedWithin };
}

describe('rate limiter with RIOT_BUDGET_SHARE', () => {
  it('uses half of the dev key’s default limits at 0.5', async () => {
    const { limiter, grantedWithin } = setup(0.5);
    // No method limits in the answers: after the first (probe), only the app windows count.
    expect(await grantedWithin(30, 999, { 'X-App-Rate-Limit': '20:1,100:120' })).toBe(10);
    expect(limiter.usage()[0]?.app).toEqual([
      { limit: 10, used: 10, windowSeconds: 1, percentage: 100 },
      { limit: 50, used: 10, windowSeconds: 120, percentage: 20 },
    ]);
  });

  it('uses half of learned app and method limits, never less than one request', async () => {
    const { limiter, grantedWithin } = setup(0.5);
    const learned = { 'X-App-Rate-Limit': '7:1,100:120', 'X-Method-Rate-Limit': '1:10' };
    expect(await grantedWithin(1, 0, learned)).toBe(1);
    const [usage] = limiter.usage();
    expect(usage?.app.map((w) => w.limit)).toEqual([3, 50]);
    expect(usage?.methods.m?.map((w) => w.limit)).toEqual([1]);
    // Method `m` is spent for 10 s; another method gets the app's 3 per second.
    expect(await grantedWithin(5, 9_999, learned)).toBe(0);
    expect(await grantedWithin(10, 999, { 'X-App-Rate-Limit': '7:1,100:120' }, 'other')).toBe(3);
  });

  it('takes requests of other processes up to their share from -Count as expected, only a surplus as unknown', async () => {
    const { clock, limiter } = setup(0.5);
    const limits = { 'X-App-Rate-Limit': '20:1,100:120', 'X-Method-Rate-Limit': '1000:10' };
    const answer = (count: string) => headers({ ...limits, 'X-App-Rate-Limit-Count': count });
    (await limiter.acquire({ routing: 'euw1', method: 'm' })).complete(200, answer('1:1,1:120'));
    // The other half of the key sent 10 in this second and 40 in the long window: all expected.
    (await limiter.acquire({ routing: 'euw1', method: 'm' })).complete(200, answer('12:1,52:120'));
    expect(limiter.usage()[0]?.app.map((w) => w.used)).toEqual([2, 2]);
    // 3 more than half of the 1 s window: those are unknown, counted as just made.
    (await limiter.acquire({ routing: 'euw1', method: 'm' })).complete(200, answer('16:1,53:120'));
    expect(limiter.usage()[0]?.app.map((w) => w.used)).toEqual([6, 6]);
    await clock.advance(1000);
    expect(limiter.usage()[0]?.app.map((w) => w.used)).toEqual([0, 6]);
  });
});
