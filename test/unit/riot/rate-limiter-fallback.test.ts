import { describe, expect, it } from 'vitest';
import { LIMITS, setup } from './limiter-429-helpers.ts';
import { headers } from './limiter-helpers.ts';

const SERVICE = { 'X-Rate-Limit-Type': 'service' };

describe('rate limiter on 429 without Retry-After', () => {
  it('doubles the wait for each further one of the same service, up to the cap', async () => {
    const { refuse, clock } = await setup({ maxFallbackRetryAfterMs: 6000 });
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      waits.push((await refuse(SERVICE, 'svc.a'))?.retryAfterMs ?? 0);
      await clock.advance(10_000);
    }
    expect(waits).toEqual([1000, 2000, 4000, 6000, 6000]);
    // Another service, or the same one in another routing value, starts over.
    expect((await refuse(SERVICE, 'other-svc.a'))?.retryAfterMs).toBe(1000);
  });

  it('starts over after a success of the service', async () => {
    const { refuse, clock, waitFor } = await setup();
    expect((await refuse(SERVICE, 'svc.a'))?.retryAfterMs).toBe(1000);
    await clock.advance(1000);
    expect((await refuse(SERVICE, 'svc.a'))?.retryAfterMs).toBe(2000);
    await waitFor('svc.b'); // answered 200 once the 2000 ms are over
    expect((await refuse(SERVICE, 'svc.a'))?.retryAfterMs).toBe(1000);
  });

  it('counts 429s to requests sent before the previous one arrived as that same refusal', async () => {
    const { limiter } = await setup();
    const permits = await Promise.all(
      Array.from({ length: 5 }, () => limiter.acquire({ routing: 'euw1', method: 'svc.a' })),
    );
    const waits = permits.map(
      (p) => p.complete(429, headers({ ...LIMITS, ...SERVICE }))?.retryAfterMs,
    );
    expect(waits).toEqual([1000, 1000, 1000, 1000, 1000]);
  });

  it('releases the waiters spread over half the wait after it, not all at once', async () => {
    const randoms = [0, 0.5, 0.99, 0.25];
    const { limiter, clock, refuse } = await setup({ random: () => randoms.shift() ?? 0 });
    await refuse(SERVICE, 'svc.a'); // the service waits 1000 ms
    const grants = await Promise.all([
      ...['svc.a', 'svc.b', 'svc.a', 'svc.b'].map((method) =>
        limiter.acquire({ routing: 'euw1', method }).then((p) => {
          p.complete(200, headers(LIMITS));
          return clock.now();
        }),
      ),
      clock.advance(2000).then(() => 0),
    ]);
    expect(grants.slice(0, 4)).toEqual([1000, 1250, 1495, 1125]);
  });

  it('holds back again the waiters already queued when a further 429 arrives', async () => {
    const randoms = [0, 0, 0.5];
    const { limiter, clock, refuse } = await setup({ random: () => randoms.shift() ?? 0 });
    const inFlight = await limiter.acquire({ routing: 'euw1', method: 'svc.a' });
    await refuse(SERVICE, 'svc.a');
    let grantedAt: number | null = null;
    const waiter = limiter.acquire({ routing: 'euw1', method: 'svc.b' }).then((p) => {
      grantedAt = clock.now();
      p.complete(200, headers(LIMITS));
    });
    await clock.advance(500);
    // Sent before the first 429 arrived: the same refusal, the same 1000 ms, counted from now.
    expect(inFlight.complete(429, headers({ ...LIMITS, ...SERVICE }))?.retryAfterMs).toBe(1000);
    await clock.advance(2000);
    await waiter;
    expect(grantedAt).toBe(1750);
  });
});
