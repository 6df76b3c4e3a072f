import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { HeaderSource } from '../../../src/riot/rate-limit-headers.ts';
import { createRateLimiter, type RateLimiterOptions } from '../../../src/riot/rate-limiter.ts';
import { type RedisBudgetOptions, redisBudgetStore } from '../../../src/riot/redis-budget-store.ts';

export const REDIS_URL = 'redis://127.0.0.1:6379';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function headers(values: Record<string, string>): HeaderSource {
  const lower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name) => lower.get(name.toLowerCase()) ?? null };
}

/**
 * One Redis connection per "process" and a key prefix of its own per test, so tests cannot see each
 * other's budgets; `close()` deletes the prefix's keys and disconnects.
 */
export function sharedBudget() {
  const prefix = `riftwatch-test:${randomBytes(6).toString('hex')}:`;
  const clients: Redis[] = [];
  const limiter = (options: RateLimiterOptions = {}, store: RedisBudgetOptions = {}) => {
    const redis = new Redis(REDIS_URL);
    clients.push(redis);
    return createRateLimiter({
      marginMs: 0,
      ...options,
      budget: redisBudgetStore(redis, { keyPrefix: prefix, ...store }),
    });
  };
  const close = async () => {
    // QUIT answers after every command sent before it: the answers still being recorded land
    // before the keys are deleted.
    await Promise.all(clients.splice(0).map((client) => client.quit().catch(() => {})));
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  };
  return { prefix, limiter, close };
}
