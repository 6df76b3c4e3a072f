import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/riot/clock.ts';
import { createRateLimiter, type Permit } from '../../../src/riot/rate-limiter.ts';
import { capturingLogger, flushLogs, headers } from './limiter-helpers.ts';

const DEV = { 'X-App-Rate-Limit': '20:1,100:120', 'X-Method-Rate-Limit': '2000:60' };

function setup(options: Parameters<typeof createRateLimiter>[0] = {}) {
  const clock = createManualClock();
  const limiter = createRateLimiter({ clock, marginMs: 0, retryAfterMarginMs: 0, ...options });
  const granted: string[] = [];
  const take = (routing: string, method: string, tag = method, priority?: 'interactive') => {
    const permit = limiter.acquire({ routing, method, priority });
    void permit.then(() => granted.push(tag));
    return permit;
  };
  return { clock, limiter, granted, take };
}

describe('rate limiter', () => {
  it('uses the dev-key limits before the first answer, per routing value', async () => {
    const { clock, take, granted } = setup();
    const permits = Array.from({ length: 21 }, (_, i) =>
      take('euw1', i === 0 ? 'm' : 'm2', `e${i}`),
    );
    take('na1', 'm', 'na');
    await clock.advance(0);
    // one probe per method until its limits are known, app window of 20 shared
    expect(granted).toEqual(['e0', 'e1', 'na']);
    ((await permits[1]) as Permit).complete(200, headers(DEV));
    ((await permits[0]) as Permit).complete(200, headers(DEV));
    await clock.advance(0);
    expect(granted.filter((g) => g.startsWith('e'))).toHaveLength(20);
    await clock.advance(999);
    expect(granted).toHaveLength(21);
    await clock.advance(1);
    expect(granted).toHaveLength(22);
  });

  it('learns app and method limits from headers and applies them', async () => {
    const { clock, take, granted } = setup();
    const first = await take('euw1', 'm');
    first.complete(
      200,
      headers({ 'X-App-Rate-Limit': '100:120,3:1', 'X-Method-Rate-Limit': '2:10' }),
    );
    for (let i = 0; i < 5; i++) take('euw1', 'm', `m${i}`);
    for (let i = 0; i < 5; i++) take('euw1', 'other', `o${i}`);
    await clock.advance(0);
    // window 3/1 s: one already used by `first`; `m` capped at 2/10 s (incl. first) → m0 only
    expect(granted.slice(1)).toEqual(['m0', 'o0']);
  });

  it('keeps its known windows when a later header is malformed', async () => {
    const { clock, take, granted } = setup();
    (await take('euw1', 'm')).complete(200, headers({ 'X-App-Rate-Limit': '5:1,2:10' }));
    (await take('euw1', 'm')).complete(200, headers({ 'X-App-Rate-Limit': '5:1,2:10s' }));
    for (let i = 0; i < 3; i++) take('euw1', 'm', `m${i}`);
    await clock.advance(9_999);
    expect(granted.slice(2)).toEqual([]);
    await clock.advance(1);
    expect(granted.slice(2)).toEqual(['m0', 'm1']);
  });

  it('does not take a 429 without method headers as "this method has no limits"', async () => {
    const { clock, take, granted } = setup();
    (await take('euw1', 'm')).complete(
      429,
      headers({ 'X-App-Rate-Limit': '100:1', 'Retry-After': '0', 'X-Rate-Limit-Type': 'service' }),
    );
    for (let i = 0; i < 3; i++) take('euw1', 'm', `m${i}`);
    await clock.advance(0);
    // Limits still unknown: one probe at a time.
    expect(granted.slice(1)).toEqual(['m0']);
  });

  it('counts a pending request in every window until its response', async () => {
    const { clock, limiter, take, granted } = setup();
    (await take('euw1', 'm')).complete(200, headers({ 'X-App-Rate-Limit': '1:1' }));
    const b = take('euw1', 'm', 'b');
    await clock.advance(1000);
    take('euw1', 'm', 'c');
    await clock.advance(5000);
    expect(granted).toEqual(['m', 'b']); // b is in flight: Riot may count it at any instant
    (await b).complete(200);
    await clock.advance(999);
    expect(granted).not.toContain('c');
    await clock.advance(1);
    expect(granted).toContain('c');
    expect(limiter.usage()[0]?.app[0]).toMatchObject({ limit: 1, used: 1, windowSeconds: 1 });
  });

  it('adds requests the server counted but we did not (another process) from -Count headers', async () => {
    const { clock, take, granted } = setup();
    const a = await take('euw1', 'm');
    a.complete(200, headers({ ...DEV, 'X-App-Rate-Limit-Count': '1:1,100:120' }));
    take('euw1', 'm', 'late');
    await clock.advance(119_999);
    expect(granted).not.toContain('late');
    await clock.advance(1);
    expect(granted).toContain('late');
  });

  it('serves interactive callers before background ones, FIFO within a priority', async () => {
    const { clock, take, granted } = setup({ defaultAppLimits: [{ limit: 1, windowSeconds: 1 }] });
    const first = await take('euw1', 'm', 'first');
    first.complete(200, headers({ 'X-App-Rate-Limit': '1:1' }));
    const order = ['bg1', 'bg2', 'ia1', 'ia2', 'bg3'];
    for (const tag of order) {
      void take('euw1', 'm', tag, tag.startsWith('ia') ? 'interactive' : undefined).then((p) =>
        p.complete(200),
      );
    }
    await clock.advance(10_000);
    expect(granted).toEqual(['first', 'ia1', 'ia2', 'bg1', 'bg2', 'bg3']);
  });

  it('rejects and removes a waiter when its signal aborts', async () => {
    const { clock, limiter } = setup({ defaultAppLimits: [{ limit: 1, windowSeconds: 1 }] });
    await limiter.acquire({ routing: 'euw1', method: 'm' });
    const controller = new AbortController();
    const waiting = limiter.acquire({ routing: 'euw1', method: 'm', signal: controller.signal });
    controller.abort(new Error('job cancelled'));
    await expect(waiting).rejects.toThrow('job cancelled');
    await clock.advance(0);
    expect(limiter.usage()[0]?.queued).toBe(0);
  });

  it('publishes usage snapshots and logs once at ≥ 90 % of a window', async () => {
    const { logger, lines } = capturingLogger();
    const { clock, limiter } = setup({ logger });
    const first = await limiter.acquire({ routing: 'kr', method: 'm' });
    first.complete(
      200,
      headers({ 'X-App-Rate-Limit': '10:1,100:120', 'X-Method-Rate-Limit': '50:10' }),
    );
    const seen: number[] = [];
    const stop = limiter.onUsage((u) => seen.push(u.app[0]?.used ?? -1));
    for (let i = 0; i < 7; i++)
      (await limiter.acquire({ routing: 'kr', method: 'm' })).complete(200);
    await flushLogs();
    expect(lines.filter((l) => l.msg === 'Rate limit approaching capacity')).toHaveLength(0);
    for (let i = 0; i < 2; i++)
      (await limiter.acquire({ routing: 'kr', method: 'm' })).complete(200);
    await flushLogs();
    const warnings = lines.filter((l) => l.msg === 'Rate limit approaching capacity');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ routing: 'kr', scope: 'application', limit: 10, used: 9 });
    stop();
    expect(seen.at(-1)).toBe(10);
    const [usage] = limiter.usage();
    expect(usage?.app).toEqual([
      { limit: 10, used: 10, windowSeconds: 1, percentage: 100 },
      { limit: 100, used: 10, windowSeconds: 120, percentage: 10 },
    ]);
    expect(usage?.methods.m).toEqual([{ limit: 50, used: 10, windowSeconds: 10, percentage: 20 }]);
    await clock.advance(1000);
    expect(limiter.usage()[0]?.app[0]?.used).toBe(0);
  });

  it('an absurd count costs no more than a full window (no entry per counted request)', async () => {
    const { clock, limiter, take, granted } = setup();
    const heap = process.memoryUsage().heapUsed;
    const started = performance.now();
    (await take('euw1', 'm')).complete(
      200,
      headers({ ...DEV, 'X-App-Rate-Limit-Count': '99999999999999999999:1,1:120' }),
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(50 * 1024 * 1024);
    // Riot counted the 1 s window full: nothing goes until it has passed.
    take('euw1', 'm', 'after');
    await clock.advance(999);
    expect(granted).toEqual(['m']);
    await clock.advance(1);
    expect(granted).toEqual(['m', 'after']);
    expect(limiter.usage()[0]?.app[0]?.used).toBeLessThanOrEqual(100);
  });

  it.each(['2:10s', '0:10', '2:10,'])(
    'a method limit header it cannot read (%s) leaves the method probed one request at a time',
    async (bad) => {
      const { clock, take, granted } = setup();
      (await take('euw1', 'm')).complete(
        200,
        headers({ 'X-App-Rate-Limit': '20:1,100:120', 'X-Method-Rate-Limit': bad }),
      );
      for (let i = 0; i < 5; i++) take('euw1', 'm', `m${i}`);
      await clock.advance(0);
      expect(granted).toEqual(['m', 'm0']);
    },
  );
});
