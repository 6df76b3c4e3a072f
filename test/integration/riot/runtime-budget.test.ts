import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { peakInWindow } from '../../../bench/quota-math.ts';
import { loadConfig } from '../../../src/config.ts';
import { silentLogger } from '../../../src/logger.ts';
import { budgetKeyPrefix, createRiotRuntime } from '../../../src/riot/runtime.ts';
import { type Simulator, startSimulator } from '../../../src/riot/simulator/index.ts';
import { REDIS_URL } from './redis-budget-helpers.ts';

let simulator: Simulator | undefined;
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  if (simulator) {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(
      `${budgetKeyPrefix(simulator.baseUrlTemplate, simulator.apiKey)}*`,
    );
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await simulator.stop();
  }
});

/** Two riftwatch processes' Riot runtimes on one simulated dev key, each sending `n` requests at once. */
async function twoProcesses(env: Record<string, string>, n: number) {
  simulator = await startSimulator({
    seed: 3,
    recordAccepted: true,
    world: { playersPerPlatform: 5, historySlots: 5 },
  });
  const config = loadConfig(
    { RIOT_API_KEY: simulator.apiKey, RIOT_API_BASE_URL: simulator.baseUrlTemplate, ...env },
    null,
  );
  const runtimes = await Promise.all(
    [1, 2].map(() => createRiotRuntime(config.riot, silentLogger(), config.redisUrl)),
  );
  stops.push(...runtimes.map((r) => r.stop));
  const puuid = simulator.world.trackable(1, 'euw1')[0]?.puuid ?? '';
  const results = await Promise.allSettled(
    runtimes.flatMap((r) =>
      Array.from({ length: n }, () => r.client.getSummonerByPuuid('euw1', puuid)),
    ),
  );
  const { limitExceeded } = simulator.stats();
  return {
    runtimes,
    failed: results.filter((r) => r.status === 'rejected').length,
    tooMany: limitExceeded.application + limitExceeded.method,
    peak: peakInWindow(simulator.acceptedTimes('euw1'), 1000),
  };
}

describe('Riot runtimes of two processes on one key (simulated dev key: 20/1 s, 100/120 s)', () => {
  it('RIOT_BUDGET_SHARE=0.5: each uses half of every limit, together they stay within the key’s', async () => {
    const { runtimes, failed, tooMany, peak } = await twoProcesses(
      { RIOT_BUDGET_SHARE: '0.5' },
      25,
    );
    for (const runtime of runtimes) {
      const [usage] = runtime.limiter.usage();
      expect(usage?.app.map((w) => w.limit)).toEqual([10, 50]);
      expect(usage?.app[1]?.used).toBe(25);
    }
    expect({ failed, tooMany }).toEqual({ failed: 0, tooMany: 0 });
    expect(peak).toBeLessThanOrEqual(20);
  });

  it('REDIS_URL: they share one budget and stay within the key’s limits', async () => {
    const { runtimes, failed, tooMany, peak } = await twoProcesses({ REDIS_URL }, 25);
    expect({ failed, tooMany }).toEqual({ failed: 0, tooMany: 0 });
    expect(peak).toBeLessThanOrEqual(20);
    const [usage] = runtimes[0]?.limiter.usage() ?? [];
    expect(usage?.app.map((w) => w.limit)).toEqual([20, 100]);
  });

  it('REDIS_URL that cannot be reached stops start-up with a message naming it', async () => {
    const config = loadConfig({ RIOT_API_BASE_URL: 'http://127.0.0.1:9/{routing}' }, null);
    await expect(
      createRiotRuntime(config.riot, silentLogger(), 'redis://127.0.0.1:1'),
    ).rejects.toThrow('Rate limiter could not connect to Redis at 127.0.0.1:1');
  });
});
