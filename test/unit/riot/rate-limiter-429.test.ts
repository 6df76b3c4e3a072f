import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/riot/clock.ts';
import { createRateLimiter } from '../../../src/riot/rate-limiter.ts';
import { capturingLogger, flushLogs, headers } from './limiter-helpers.ts';

const LIMITS = { 'X-App-Rate-Limit': '20:1,100:120', 'X-Method-Rate-Limit': '500:10' };

async function setup() {
  const clock = createManualClock();
  const { logger, lines } = capturingLogger();
  const limiter = createRateLimiter({
    clock,
    logger,
    marginMs: 0,
    retryAfterMarginMs: 100,
    fallbackRetryAfterMs: 1000,
    fallbackUnknownRetryAfterMs: 5000,
  });
  for (const method of ['m', 'other']) {
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
  const refuse = async (extra: Record<string, string>) => {
    const permit = await limiter.acquire({ routing: 'euw1', method: 'm' });
    return permit.complete(429, headers({ ...LIMITS, ...extra }));
  };
  return { clock, limiter, lines, waitFor, refuse };
}

describe('rate limiter on 429', () => {
  it('application: honours Retry-After (+ margin) for every method of the routing value', async () => {
    const { waitFor, refuse, lines } = await setup();
    const verdict = await refuse({ 'X-Rate-Limit-Type': 'application', 'Retry-After': '2' });
    expect(verdict).toEqual({ retryAfterMs: 2100, limitType: 'application' });
    expect(await waitFor('other')).toBe(2100);
    expect(await waitFor('m', 'na1')).toBe(0); // other routing values keep their own budget
    await flushLogs();
    expect(lines.find((l) => l.msg === 'Rate limit exceeded')).toMatchObject({
      routing: 'euw1',
      method: 'm',
      limitType: 'application',
    });
  });

  it('method: blocks only that method', async () => {
    const { waitFor, refuse } = await setup();
    await refuse({ 'X-Rate-Limit-Type': 'method', 'Retry-After': '3' });
    expect(await waitFor('other')).toBe(0);
    expect(await waitFor('m')).toBe(3100);
  });

  it('service without Retry-After: falls back, blocks only that endpoint', async () => {
    const { waitFor, refuse } = await setup();
    const verdict = await refuse({ 'X-Rate-Limit-Type': 'service' });
    expect(verdict).toEqual({ retryAfterMs: 1000, limitType: 'service' });
    expect(await waitFor('other')).toBe(0);
    expect(await waitFor('m')).toBe(1000);
  });

  it('no X-Rate-Limit-Type at all is the service refusing', async () => {
    const { refuse } = await setup();
    expect((await refuse({}))?.limitType).toBe('service');
  });

  it('unknown types such as `server` stop the whole routing value', async () => {
    const { waitFor, refuse } = await setup();
    const verdict = await refuse({ 'X-Rate-Limit-Type': 'server', 'Retry-After': '7' });
    expect(verdict).toEqual({ retryAfterMs: 7100, limitType: 'server' });
    expect(await waitFor('other')).toBe(7100);
  });

  it('unknown type without Retry-After uses the longer fallback', async () => {
    const { waitFor, refuse } = await setup();
    expect((await refuse({ 'X-Rate-Limit-Type': 'server' }))?.retryAfterMs).toBe(5000);
    expect(await waitFor('other')).toBe(5000);
  });

  it('application without Retry-After uses the fallback', async () => {
    const { waitFor, refuse, limiter } = await setup();
    await refuse({ 'X-Rate-Limit-Type': 'application' });
    expect(limiter.usage()[0]?.blockedForMs).toBe(1000);
    expect(await waitFor('other')).toBe(1000);
  });
});
