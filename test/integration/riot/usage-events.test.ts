import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus, type RateLimitUsageEvent } from '../../../src/events/pubsub.ts';
import { publishRateLimitUsage } from '../../../src/events/rate-limit-usage.ts';
import { silentLogger } from '../../../src/logger.ts';
import { RIOT_METHODS } from '../../../src/riot/endpoints.ts';
import { waitFor } from '../../helpers/wait.ts';
import { startPair } from './helpers.ts';

let pair: Awaited<ReturnType<typeof startPair>>;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(() => pair.simulator.stop());

/** The usage events `pair`'s limiter publishes, collected until `stop`. */
function publishedUsage(intervalMs: number) {
  const { pubsub } = createEventBus({ logger: silentLogger() });
  const stopPublishing = publishRateLimitUsage(pair.limiter, pubsub, intervalMs);
  const events: RateLimitUsageEvent[] = [];
  const iterator = pubsub.subscribe('rateLimitUsage')[Symbol.asyncIterator]();
  void (async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      events.push(next.value);
  })();
  const stop = async () => {
    stopPublishing();
    await iterator.return?.();
  };
  return { events, stop };
}

describe('rate-limit usage events', () => {
  it('publish each routing value’s windows as requests go, throttled, ending on the latest state', async () => {
    const intervalMs = 300;
    const { events, stop } = publishedUsage(intervalMs);

    const [player] = pair.simulator.world.trackable(1, 'euw1');
    const started = performance.now();
    for (let i = 0; i < 5; i++) await pair.client.getSummonerByPuuid('euw1', player?.puuid ?? '');
    const elapsed = performance.now() - started;

    const used = (e: RateLimitUsageEvent | undefined, scope: string, seconds: number) =>
      e?.windows.find((w) => w.scope === scope && w.windowSeconds === seconds)?.used;
    const last = await waitFor(
      async () => {
        const e = events.filter((x) => x.routing === 'euw1').at(-1);
        return used(e, 'app', 120) === 5 ? e : null;
      },
      3000,
      'an event with all five requests',
    );
    expect(last.windows).toContainEqual({
      scope: RIOT_METHODS.summonerByPuuid,
      limit: expect.any(Number),
      used: 5,
      windowSeconds: expect.any(Number),
    });
    expect(last.windows).toContainEqual({ scope: 'app', limit: 100, used: 5, windowSeconds: 120 });
    expect(last.windows).toContainEqual({
      scope: 'app',
      limit: 20,
      used: expect.any(Number),
      windowSeconds: 1,
    });
    // Ten usage changes (each grant and each answer), at most one event per interval (+ the first).
    expect(events.length).toBeLessThanOrEqual(2 + Math.ceil(elapsed / intervalMs));
    await stop();
  });

  it("carry a 429's block and the requests waiting behind it", async () => {
    const { events, stop } = publishedUsage(50);
    const [player] = pair.simulator.world.trackable(1, 'euw1');
    pair.simulator.faults.inject(
      { kind: 'rate-limit', type: 'application', retryAfterSeconds: 2 },
      { method: RIOT_METHODS.summonerByPuuid, times: 1 },
    );
    const requests = [1, 2].map(() => pair.client.getSummonerByPuuid('euw1', player?.puuid ?? ''));
    const blocked = await waitFor(
      async () => events.find((e) => e.routing === 'euw1' && e.blockedForMs > 0) ?? null,
      3000,
      'an event with the block',
    );
    expect(blocked.blockedForMs).toBeGreaterThan(1000);
    expect(blocked.blockedForMs).toBeLessThan(3000);
    expect(blocked.queued).toBeGreaterThanOrEqual(1);
    await Promise.all(requests);
    await stop();
  });
});
