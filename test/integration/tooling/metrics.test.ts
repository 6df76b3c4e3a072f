import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import {
  type Family,
  parsePrometheusText,
  seriesValue,
  sumOf,
} from '../../helpers/prometheus-text.ts';
import { wsClient } from '../graphql/live-clients.ts';
import { executionWithStatus, waitFor } from '../jobs/engine-harness.ts';
import { startTooling, TOKEN, type Tooling } from './harness.ts';

let db: TestDatabase;
let t: Tooling;
beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTooling(db, { maxTrackedPlayers: 5 });
});
afterAll(async () => {
  await t?.stop();
  await db?.drop();
});

async function scrape(): Promise<Map<string, Family>> {
  const response = await fetch(`${t.base}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

const post = (path: string) =>
  fetch(`${t.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } }).then(
    async (r) => ({ status: r.status, json: await r.json() }),
  );

test('a job run moves the execution, duration, record and GraphQL counters', async () => {
  await t.setSleepy('player_analyzer', { sleep_ms: 40, steps: 4 });
  const before = await scrape();
  const triggered = await post('/api/v1/jobs/player_analyzer/trigger');
  await executionWithStatus(db, triggered.json.executionId, 'success', 10_000, 'run');
  const job = { job_type: 'player_analyzer' };
  const delta = (after: Map<string, Family>, name: string, labels: Record<string, string>) =>
    seriesValue(after, name, labels) - seriesValue(before, name, labels);
  // The final figures are read from the row after the event: poll until they arrived.
  const after = await waitFor(async () => {
    const m = await scrape();
    return (
      delta(m, 'riftwatch_job_duration_seconds_count', { ...job, status: 'success' }) === 1 && m
    );
  });
  for (const status of ['pending', 'running', 'success']) {
    expect(delta(after, 'riftwatch_job_executions_total', { ...job, status })).toBe(1);
  }
  expect(delta(after, 'riftwatch_job_records_total', { ...job, kind: 'created' })).toBe(4);
  expect(delta(after, 'riftwatch_job_records_total', { ...job, kind: 'updated' })).toBe(8);
  const seconds = delta(after, 'riftwatch_job_duration_seconds_sum', { ...job, status: 'success' });
  expect(seconds).toBeGreaterThanOrEqual(0.04);
  expect(seconds).toBeLessThan(10);
  expect(after.get('riftwatch_job_duration_seconds')?.type).toBe('histogram');
  expect(
    delta(after, 'riftwatch_graphql_root_fields_total', { type: 'mutation', field: 'triggerJob' }),
  ).toBe(1);
  expect(delta(after, 'riftwatch_graphql_operations_total', { type: 'mutation' })).toBe(1);

  await t.setSleepy('player_analyzer', { steps: 1, fail_with: 'nope' });
  const failed = await post('/api/v1/jobs/player_analyzer/trigger');
  await executionWithStatus(db, failed.json.executionId, 'failed', 10_000, 'failed run');
  await waitFor(async () => {
    const m = await scrape();
    return delta(m, 'riftwatch_job_executions_total', { ...job, status: 'failed' }) === 1;
  });
});

test('Riot requests by routing, method and status; 429s by limit type; window gauges', async () => {
  const [first, second] = t.simulator.world.trackable(2, 'euw1');
  const before = await scrape();
  expect((await post(`/api/v1/players/${first?.puuid}/track`)).status).toBe(200);
  t.simulator.faults.inject(
    { kind: 'rate-limit', type: 'method', retryAfterSeconds: 0 },
    { method: 'summoner-v4.by-puuid', times: 1 },
  );
  expect((await post(`/api/v1/players/${second?.puuid}/track`)).status).toBe(200);
  const after = await scrape();
  const delta = (name: string, labels: Record<string, string>) =>
    sumOf(after, name, labels) - sumOf(before, name, labels);
  const ok = { routing: 'euw1', method: 'summoner-v4.by-puuid', status: '200' };
  expect(delta('riftwatch_riot_requests_total', ok)).toBe(2);
  expect(delta('riftwatch_riot_requests_total', { ...ok, status: '429' })).toBe(1);
  expect(delta('riftwatch_riot_requests_total', { routing: 'europe', status: '200' })).toBe(2);
  expect(
    delta('riftwatch_riot_rate_limited_total', { routing: 'euw1', limit_type: 'method' }),
  ).toBe(1);
  expect(delta('riftwatch_riot_queue_wait_seconds_count', {})).toBe(5);

  const app = { routing: 'euw1', scope: 'app' };
  const used = after
    .get('riftwatch_riot_rate_limit_used')
    ?.samples.filter((s) => Object.entries(app).every(([k, v]) => s.labels[k] === v));
  expect(used?.length).toBeGreaterThan(0);
  for (const s of used ?? []) {
    const labels = s.labels;
    const limit = seriesValue(after, 'riftwatch_riot_rate_limit_limit', labels);
    expect(limit).toBeGreaterThan(0);
    expect(s.value).toBeGreaterThanOrEqual(1);
    expect(seriesValue(after, 'riftwatch_riot_rate_limit_usage_ratio', labels)).toBeCloseTo(
      s.value / limit,
    );
  }
});

test('GraphQL errors by code, and the subscriptions open now', async () => {
  const before = await scrape();
  const bad = await fetch(`${t.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ jobs { nope } }' }),
  });
  expect(bad.status).toBeGreaterThanOrEqual(200);
  const errors = (m: Map<string, Family>) =>
    sumOf(m, 'riftwatch_graphql_errors_total', { code: 'INVALID_INPUT' });
  expect(errors(await scrape()) - errors(before)).toBe(1);
  // A client's mistake through REST counts as INVALID_INPUT, not as an internal error.
  const internal = (m: Map<string, Family>) =>
    sumOf(m, 'riftwatch_graphql_errors_total', { code: 'INTERNAL_SERVER_ERROR' });
  const beforeRest = await scrape();
  for (const path of ['/api/v1/jobs/1e3', '/api/v1/executions?status=bogus']) {
    expect((await fetch(`${t.base}${path}`)).status).toBe(400);
  }
  const afterRest = await scrape();
  expect(internal(afterRest) - internal(beforeRest)).toBe(0);
  expect(errors(afterRest) - errors(beforeRest)).toBe(2);

  // A subscription refused for an id that does not exist fails as its stream starts.
  const notFound = (m: Map<string, Family>) =>
    sumOf(m, 'riftwatch_graphql_errors_total', { type: 'subscription', code: 'NOT_FOUND' });
  const beforeRefused = await scrape();
  const refused = wsClient(`${t.base}/graphql`);
  const refusal = await refused
    .iterate({ query: 'subscription { jobProgress(executionId: "999999") { status } }' })
    .next()
    .catch((error: unknown) => error);
  expect(JSON.stringify(refusal)).toContain('NOT_FOUND');
  await refused.dispose();
  expect(notFound(await scrape()) - notFound(beforeRefused)).toBe(1);

  const active = async () => seriesValue(await scrape(), 'riftwatch_graphql_subscriptions_active');
  expect(await active()).toBe(0);
  const client = wsClient(`${t.base}/graphql`);
  const iterator = client.iterate({ query: 'subscription { executionStatusChanged { status } }' });
  const next = iterator.next();
  await waitFor(async () => (await active()) === 1, 5_000, 'one subscription');
  await iterator.return?.();
  await client.dispose();
  await waitFor(async () => (await active()) === 0, 5_000, 'no subscription');
  void next.catch(() => {});
});
