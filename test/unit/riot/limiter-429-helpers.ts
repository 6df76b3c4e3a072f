import { createManualClock } from '../../../src/riot/clock.ts';
import { createRateLimiter, type RateLimiterOptions } from '../../../src/riot/rate-limiter.ts';
import { capturingLogger, headers } from './limiter-helpers.ts';

export const LIMITS = { 'X-App-Rate-Limit': '20:1,100:120', 'X-Method-Rate-Limit': '500:10' };

export async function setup(options: RateLimiterOptions = {}) {
  const clock = createManualClock();
  const { logger, lines } = capturingLogger();
  const limiter = createRateLimiter({
    clock,
    logger,
    marginMs: 0,
    retryAfterMarginMs: 100,
    fallbackRetryAfterMs: 1000,
    fallbackUnknownRetryAfterMs: 5000,
    random: () => 0,
    ...options,
  });
  for (const method of ['m', 'other', 'svc.a', 'svc.b', 'other-svc.a']) {
    (await limiter.acquire({ routing: 'euw1', method })).complete(200, headers(LIMITS));
  }
  /** Time from now until a request for `method` is granted. */
  const waitFor = async (method: string, routing = 'euw1') => {
    const start = clock.now();
    let grantedAt: number | null = null;
    void limiter.acquire({ routing, method }).then((p) => {
      grantedAt = clock.now();
      p.complete(200, headers(LIMITS));
    });
    await clock.advance(0);
    for (let i = 0; i < 100 && grantedAt === null; i++) await clock.advance(100);
    return (grantedAt ?? Number.NaN) - start;
  };
  const refuse = async (extra: Record<string, string>, method = 'm') => {
    const permit = await limiter.acquire({ routing: 'euw1', method });
    return permit.complete(429, headers({ ...LIMITS, ...extra }));
  };
  return { clock, limiter, lines, waitFor, refuse };
}
