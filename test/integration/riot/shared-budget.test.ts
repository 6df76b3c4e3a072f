import { connect, createServer, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { peakInWindow } from '../../../bench/quota-math.ts';
import {
  createRateLimiter,
  type Permit,
  type RateLimiter,
} from '../../../src/riot/rate-limiter.ts';
import { redisBudgetStore } from '../../../src/riot/redis-budget-store.ts';
import { BUDGET_REDIS_OPTIONS } from '../../../src/riot/runtime.ts';
import { capturingLogger, flushLogs } from '../../unit/riot/limiter-helpers.ts';
import { headers, REDIS_URL, sharedBudget, sleep } from './redis-budget-helpers.ts';

// 1 s of Riot's → 100 ms here.
const SCALE = 0.1;
const DEV = headers({ 'X-App-Rate-Limit': '20:1,100:120', 'X-Method-Rate-Limit': '1000:10' });

let budget: ReturnType<typeof sharedBudget>;
afterEach(() => budget?.close());

/** Grant time (performance.now) of each of `n` requests, each answered 2 ms after its grant. */
function burst(limiter: RateLimiter, n: number, answer = DEV) {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const permit = await limiter.acquire({ routing: 'euw1', method: 'm' });
      const at = performance.now();
      await sleep(2);
      permit.complete(200, answer);
      return at;
    }),
  );
}

/** Resolves when `limiter` has recorded an answer (its next usage snapshot follows the store's reply). */
function recorded(limiter: RateLimiter): Promise<void> {
  return new Promise((resolve) => {
    const stop = limiter.onUsage(() => {
      stop();
      resolve();
    });
  });
}

/** ms from now until `limiter` grants a request for `method` (the permit is answered at once). */
async function waitOf(limiter: RateLimiter, method: string, answer = DEV) {
  const start = performance.now();
  const permit = await limiter.acquire({ routing: 'euw1', method });
  permit.complete(200, answer);
  return performance.now() - start;
}

describe('rate limiters sharing a budget through Redis', () => {
  it('never exceed a window together although each alone would fill it', async () => {
    budget = sharedBudget();
    const [a, b] = [budget.limiter({ timeScale: SCALE }), budget.limiter({ timeScale: SCALE })];
    const times = (await Promise.all([burst(a, 30), burst(b, 30)])).flat().sort((x, y) => x - y);
    expect(times).toHaveLength(60);
    // 60 requests at 20 per 100 ms: the last batch cannot start before 200 ms.
    expect(peakInWindow(times, 1000 * SCALE)).toBe(20);
    expect((times.at(-1) as number) - (times[0] as number)).toBeGreaterThanOrEqual(200);
    // Each limiter shows the shared use, not only its own.
    const [usage] = a.usage();
    expect(usage?.app[1]).toMatchObject({ limit: 100, windowSeconds: 120 });
    expect(usage?.app[1]?.used).toBeGreaterThan(30);
  });

  it('share limits learned by one process with the others', async () => {
    budget = sharedBudget();
    const [a, b] = [budget.limiter({ timeScale: SCALE }), budget.limiter({ timeScale: SCALE })];
    const learned = headers({ 'X-App-Rate-Limit': '5:1,100:120', 'X-Method-Rate-Limit': '50:10' });
    (await a.acquire({ routing: 'euw1', method: 'm' })).complete(200, learned);
    // b never had an answer: the dev key's 20 would let it send 19 more now, the learned 5 only 4.
    await sleep(5); // the answer reaches Redis
    const times = await burst(b, 8, learned);
    expect(times.filter((t) => t - (times[0] as number) < 50)).toHaveLength(4);
    expect(b.usage()[0]?.app[0]).toMatchObject({ limit: 5, windowSeconds: 1 });
  });

  it('hold back every process after a 429: the whole routing value for application, one method for method', async () => {
    budget = sharedBudget();
    const [a, b] = [budget.limiter({ timeScale: SCALE }), budget.limiter({ timeScale: SCALE })];
    for (const method of ['m', 'other']) await waitOf(a, method);
    const refuse = async (type: string) => {
      const permit = await a.acquire({ routing: 'euw1', method: 'm' });
      const blocked = recorded(a);
      const verdict = permit.complete(
        429,
        headers({ 'X-Rate-Limit-Type': type, 'Retry-After': '3' }),
      );
      // 3 s of Riot's + the 250 ms margin, scaled.
      expect(verdict?.retryAfterMs).toBeCloseTo(325);
      await blocked;
    };
    await refuse('method');
    expect(await waitOf(b, 'other')).toBeLessThan(100);
    expect(await waitOf(b, 'm')).toBeGreaterThan(250);
    await refuse('application');
    expect(await waitOf(b, 'other')).toBeGreaterThan(250);
  });

  it('hold back every method of a service, in every process, after a service 429', async () => {
    budget = sharedBudget();
    const [a, b] = [budget.limiter({ timeScale: SCALE }), budget.limiter({ timeScale: SCALE })];
    for (const method of ['svc.a', 'svc.b', 'other.a']) await waitOf(a, method);
    const permit = await a.acquire({ routing: 'euw1', method: 'svc.a' });
    const blocked = recorded(a);
    permit.complete(429, headers({ 'X-Rate-Limit-Type': 'service', 'Retry-After': '3' }));
    await blocked;
    expect(await waitOf(b, 'other.a')).toBeLessThan(100);
    expect(await waitOf(b, 'svc.b')).toBeGreaterThan(250);
  });

  it('count a request pending in another process in every window until it is answered', async () => {
    budget = sharedBudget();
    const [a, b] = [budget.limiter({ timeScale: SCALE }), budget.limiter({ timeScale: SCALE })];
    const one = headers({ 'X-App-Rate-Limit': '1:1', 'X-Method-Rate-Limit': '1000:10' });
    (await a.acquire({ routing: 'euw1', method: 'm' })).complete(200, one);
    await sleep(110);
    const pending = await a.acquire({ routing: 'euw1', method: 'm' });
    let granted: number | null = null;
    const start = performance.now();
    const waiting = b.acquire({ routing: 'euw1', method: 'm' }).then((p: Permit) => {
      granted = performance.now() - start;
      p.complete(200, one);
    });
    await sleep(300);
    expect(granted).toBeNull();
    pending.complete(200, one);
    await waiting;
    // The answered request leaves the 100 ms window 100 ms after its answer, at 300 ms.
    expect(granted).toBeGreaterThanOrEqual(395);
  });

  it('free the budget of a process that died mid-request once its lease is over', async () => {
    budget = sharedBudget();
    const lease = { leaseMs: 300 };
    const [dead, alive] = [
      budget.limiter({ timeScale: SCALE }, lease),
      budget.limiter({ timeScale: SCALE }, lease),
    ];
    (await dead.acquire({ routing: 'euw1', method: 'm' })).complete(
      200,
      headers({ 'X-App-Rate-Limit': '1:1', 'X-Method-Rate-Limit': '1000:10' }),
    );
    await sleep(110);
    await dead.acquire({ routing: 'euw1', method: 'm' }); // never answered
    const wait = await waitOf(alive, 'm');
    // Counted as answered at the end of its lease, then for one window (100 ms).
    expect(wait).toBeGreaterThanOrEqual(390);
    expect(wait).toBeLessThan(1000);
  });

  it('load their scripts again when Redis has lost them (a restart, SCRIPT FLUSH)', async () => {
    budget = sharedBudget();
    const a = budget.limiter({ timeScale: SCALE });
    expect(await waitOf(a, 'm')).toBeLessThan(100);
    const redis = new Redis(REDIS_URL);
    await redis.script('FLUSH');
    redis.disconnect();
    expect(await waitOf(a, 'm')).toBeLessThan(100);
    expect(a.usage()[0]?.app[1]?.used).toBe(2);
  });

  it('hold callers back while Redis cannot be reached, rather than send on an unchecked budget', async () => {
    const redis = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    redis.on('error', () => {}); // refused connections, expected here
    const { logger, lines } = capturingLogger();
    const limiter = createRateLimiter({
      logger,
      storeRetryMs: 50,
      budget: redisBudgetStore(redis),
    });
    const controller = new AbortController();
    let granted = false;
    const waiting = limiter
      .acquire({ routing: 'euw1', method: 'm', signal: controller.signal })
      .then(() => {
        granted = true;
      });
    await sleep(200);
    expect(granted).toBe(false);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    await flushLogs();
    const failures = lines.filter((l) =>
      String(l.msg).startsWith('Rate limiter budget store failed'),
    );
    expect(failures.length).toBeGreaterThan(1); // it kept trying
    redis.disconnect();
  });

  it('take an absurd count as a full window, without blocking Redis', async () => {
    budget = sharedBudget();
    const a = budget.limiter({ timeScale: SCALE });
    const answer = headers({
      'X-App-Rate-Limit': '20:1,100:120',
      'X-App-Rate-Limit-Count': '99999999999999999999:1,1:120',
      'X-Method-Rate-Limit': '1000:10',
    });
    const started = performance.now();
    const done = recorded(a);
    (await a.acquire({ routing: 'euw1', method: 'm' })).complete(200, answer);
    await done;
    expect(performance.now() - started).toBeLessThan(2000);
    const redis = new Redis(REDIS_URL);
    try {
      for (const key of await redis.keys(`${budget.prefix}*`)) {
        if ((await redis.type(key)) === 'zset')
          expect(await redis.zcard(key)).toBeLessThanOrEqual(21);
      }
    } finally {
      redis.disconnect();
    }
    // The 1 s window is full (20 phantoms): the next request waits for it to pass.
    expect(await waitOf(a, 'm')).toBeGreaterThan(50);
  });

  it('hold callers back, then go on, when Redis goes silent (no reset) and comes back', async () => {
    // A stalled link: bytes wait (as TCP holds them) until it flows again.
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(6379, '127.0.0.1');
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      for (const s of [client, upstream]) s.on('error', () => {});
    });
    const stall = (stalled: boolean) => {
      for (const s of sockets) stalled ? s.pause() : s.resume();
    };
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as { port: number }).port;
    const redis = new Redis(port, '127.0.0.1', BUDGET_REDIS_OPTIONS);
    redis.on('error', () => {});
    await redis.connect();
    const { logger, lines } = capturingLogger();
    const limiter = createRateLimiter({
      logger,
      marginMs: 0,
      storeRetryMs: 100,
      budget: redisBudgetStore(redis, { keyPrefix: `riftwatch-test:silent:${port}:` }),
    });
    try {
      (await limiter.acquire({ routing: 'euw1', method: 'm' })).complete(200, DEV);
      stall(true);
      let granted = false;
      const waiting = limiter.acquire({ routing: 'euw1', method: 'm' }).then((permit) => {
        granted = true;
        permit.complete(200, DEV);
      });
      await sleep(BUDGET_REDIS_OPTIONS.commandTimeout + 500);
      expect(granted).toBe(false);
      await flushLogs();
      // The silent command timed out into the store's retry path, instead of waiting on for good.
      expect(lines.some((l) => String(l.msg).startsWith('Rate limiter budget store failed'))).toBe(
        true,
      );
      stall(false);
      await waiting;
    } finally {
      redis.disconnect();
      for (const s of sockets) s.destroy();
      proxy.close();
    }
  });
});
