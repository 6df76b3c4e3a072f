import { Registry } from 'prom-client';
import { expect, test } from 'vitest';
import { createRiotMetrics } from '../../../src/metrics/riot-metrics.ts';
import type { RiotRequestInfo } from '../../../src/riot/client.ts';

test('429s are labelled by the three limit types, any other X-Rate-Limit-Type as other', async () => {
  const registry = new Registry();
  const metrics = createRiotMetrics(registry);
  const tooMany = (limitType?: string): RiotRequestInfo => ({
    routing: 'euw1',
    method: 'summoner-v4.by-puuid',
    status: 429,
    durationMs: 1,
    queuedMs: 0,
    attempt: 0,
    priority: 'background',
    ...(limitType && { limitType }),
  });
  for (const type of ['application', 'method', 'service', undefined, 'server', 'x-proxy-7f3a']) {
    metrics.onRequest(tooMany(type));
  }
  const values = (await registry.getSingleMetric('riftwatch_riot_rate_limited_total')?.get())
    ?.values;
  expect(Object.fromEntries((values ?? []).map((v) => [v.labels.limit_type, v.value]))).toEqual({
    application: 1,
    method: 1,
    service: 2,
    other: 2,
  });
});
