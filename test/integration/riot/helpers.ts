import { silentLogger } from '../../../src/logger.ts';
import { createRiotClient, type RiotRequestInfo } from '../../../src/riot/client.ts';
import { createRateLimiter } from '../../../src/riot/rate-limiter.ts';
import { type SimulatorOptions, startSimulator } from '../../../src/riot/simulator/index.ts';

/** A simulator on 127.0.0.1:0 with a client wired to it; retries are fast and few. */
export async function startPair(options: SimulatorOptions = {}) {
  const simulator = await startSimulator({
    seed: 7,
    world: { playersPerPlatform: 20, historySlots: 30 },
    ...options,
  });
  const limiter = createRateLimiter({ timeScale: options.timeScale ?? 1, marginMs: 0 });
  const requests: RiotRequestInfo[] = [];
  const client = createRiotClient({
    baseUrl: simulator.baseUrlTemplate,
    apiKey: simulator.apiKey,
    limiter,
    logger: silentLogger(),
    maxRetries: 2,
    retryBaseDelayMs: 5,
    timeoutMs: 2_000,
    onRequest: (info) => requests.push(info),
  });
  return { simulator, limiter, client, requests };
}
