import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { closeRedis, connectRedis } from '../redis.ts';
import { createRiotClient, type RiotClient, type RiotRequestInfo } from './client.ts';
import { createRateLimiter, type RateLimiter } from './rate-limiter.ts';
import { redisBudgetStore } from './redis-budget-store.ts';
import { type Simulator, startSimulator, type WorldOptions } from './simulator/index.ts';

export const RIOT_PRODUCTION_BASE_URL = 'https://{routing}.api.riotgames.com';

/**
 * The built-in simulator's world: its last 12 hours play at 60× (a round of games every 40 s for
 * the first 12 minutes), then it keeps to the real clock, so no game carries a future time.
 */
export function simulatedWorld(): WorldOptions {
  return { presentMs: Date.now() - 12 * 60 * 60 * 1000, speed: 60, maxLeadMs: 0 };
}

export type RiotRuntime = {
  client: RiotClient;
  limiter: RateLimiter;
  /** Set when riftwatch runs against its built-in simulator (no key and no base URL configured). */
  simulator: Simulator | null;
  /** Where requests go, for logs and the status overview (never the key). */
  baseUrl: string;
  stop(): Promise<void>;
};

/**
 * The process's one limiter and client. With neither RIOT_API_KEY nor RIOT_API_BASE_URL set there is
 * nothing real to talk to, so riftwatch starts its Riot API simulator in-process: a fresh checkout
 * runs end to end with no configuration. With `redisUrl`, the limiter's budget is shared through
 * Redis by every process using the same key.
 */
export async function createRiotRuntime(
  riot: Config['riot'],
  logger: Logger,
  redisUrl?: string,
  onRequest?: (info: RiotRequestInfo) => void,
): Promise<RiotRuntime> {
  const redis = redisUrl ? await connect(redisUrl, logger) : null;
  const useSimulator = riot.apiKey === undefined && riot.baseUrl === undefined;
  const simulator = useSimulator ? await startSimulator({ world: simulatedWorld() }) : null;
  const baseUrl = simulator?.baseUrlTemplate ?? riot.baseUrl ?? RIOT_PRODUCTION_BASE_URL;
  const apiKey = simulator?.apiKey ?? riot.apiKey ?? '';
  if (simulator) {
    logger.warn({ baseUrl }, 'RIOT_API_KEY not set: using the built-in Riot API simulator');
  } else if (!riot.apiKey) {
    logger.warn({ baseUrl }, 'RIOT_API_KEY not set: Riot API requests will be refused (401)');
  }
  const limiter = createRateLimiter({
    logger: logger.child({ component: 'rate-limiter' }),
    budgetShare: riot.budgetShare,
    ...(redis && {
      budget: redisBudgetStore(redis, { keyPrefix: budgetKeyPrefix(baseUrl, apiKey) }),
    }),
  });
  logger.info(
    { budget: redis ? 'redis' : 'process', share: riot.budgetShare },
    'Riot rate-limit budget',
  );
  const client = createRiotClient({
    baseUrl,
    apiKey,
    limiter,
    logger: logger.child({ component: 'riot' }),
    onRequest,
  });
  const stop = async () => {
    await simulator?.stop();
    if (redis) await closeRedis(redis);
  };
  return { client, limiter, simulator, baseUrl, stop };
}

/**
 * Limits are per key: processes with another key (or another Riot host) get a budget of their own.
 * A digest, so the key itself never reaches Redis.
 */
export function budgetKeyPrefix(baseUrl: string, apiKey: string): string {
  const digest = createHash('sha256').update(`${baseUrl}\n${apiKey}`).digest('hex');
  return `riftwatch:budget:${digest.slice(0, 16)}:`;
}

/**
 * No offline queue: while Redis is away, a reservation fails at once and the limiter holds its
 * callers back until Redis answers again, rather than sending on a budget it cannot check. A
 * command unanswered after 2 s fails the same way: a connection gone silent (a crashed host, a
 * partition) would otherwise hold every request until the kernel gives it up, minutes later.
 */
export const BUDGET_REDIS_OPTIONS = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: 2_000,
} as const;

async function connect(redisUrl: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(redisUrl, BUDGET_REDIS_OPTIONS);
  redis.on('error', (err: unknown) => logger.warn({ err }, 'Rate limiter Redis error'));
  await connectRedis([redis], redisUrl, 'Rate limiter');
  return redis;
}
