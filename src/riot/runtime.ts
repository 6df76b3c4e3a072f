import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createRiotClient, type RiotClient } from './client.ts';
import { createRateLimiter, type RateLimiter } from './rate-limiter.ts';
import { type Simulator, startSimulator } from './simulator/index.ts';

export const RIOT_PRODUCTION_BASE_URL = 'https://{routing}.api.riotgames.com';

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
 * runs end to end with no configuration.
 */
export async function createRiotRuntime(
  riot: Config['riot'],
  logger: Logger,
): Promise<RiotRuntime> {
  const limiter = createRateLimiter({ logger: logger.child({ component: 'rate-limiter' }) });
  const useSimulator = riot.apiKey === undefined && riot.baseUrl === undefined;
  const simulator = useSimulator ? await startSimulator() : null;
  const baseUrl = simulator?.baseUrlTemplate ?? riot.baseUrl ?? RIOT_PRODUCTION_BASE_URL;
  const apiKey = simulator?.apiKey ?? riot.apiKey ?? '';
  if (simulator) {
    logger.warn({ baseUrl }, 'RIOT_API_KEY not set: using the built-in Riot API simulator');
  } else if (!riot.apiKey) {
    logger.warn({ baseUrl }, 'RIOT_API_KEY not set: Riot API requests will be refused (401)');
  }
  const client = createRiotClient({
    baseUrl,
    apiKey,
    limiter,
    logger: logger.child({ component: 'riot' }),
  });
  return { client, limiter, simulator, baseUrl, stop: async () => simulator?.stop() };
}
