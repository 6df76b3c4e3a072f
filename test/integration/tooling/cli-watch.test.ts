import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { parsePrometheusText, seriesValue } from '../../helpers/prometheus-text.ts';
import { waitFor } from '../jobs/engine-harness.ts';
import { type Loose, runCli, spawnCli } from './cli.ts';
import { startTooling, TOKEN, type Tooling } from './harness.ts';

let db: TestDatabase;
let t: Tooling;
let env: Record<string, string>;
beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTooling(db);
  env = { RIFTWATCH_URL: t.base, ADMIN_TOKEN: TOKEN };
  await t.setSleepy('player_analyzer', { sleep_ms: 300, steps: 3 });
});
afterAll(async () => {
  await t?.stop();
  await db?.drop();
});

/** Waits until the server counts `n` open subscriptions (watch's two are then live). */
const subscribed = (n: number) =>
  waitFor(
    async () => {
      const text = await (await fetch(`${t.base}/metrics`)).text();
      return seriesValue(parsePrometheusText(text), 'riftwatch_graphql_subscriptions_active') === n;
    },
    10_000,
    `${n} subscriptions`,
  );

test('watch --json: one event per line (progress to the final status, rate limits) until Ctrl-C', async () => {
  const watch = spawnCli(['--json', 'watch'], env);
  await subscribed(2);
  const trigger = await runCli(['--json', 'jobs', 'trigger', 'player_analyzer'], env);
  const id = JSON.parse(trigger.stdout).executionId;
  const puuid = (t.simulator.world.trackable(1, 'euw1')[0] as { puuid: string }).puuid;
  expect((await runCli(['players', 'track', puuid], env)).code).toBe(0);
  const events = () =>
    watch.result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { event: string; data: Loose });
  const ofRun = (e: { data: Loose }) =>
    e.data.executionId === Buffer.from(`JobExecution:${id}`).toString('base64');
  await waitFor(async () =>
    events().some((e) => e.event === 'progress' && ofRun(e) && e.data.status === 'success'),
  );
  await waitFor(async () => events().some((e) => e.event === 'rateLimit'));
  watch.child.kill('SIGINT');
  const done = await watch.done;
  expect(done.code).toBe(0);

  const run = events().filter((e) => e.event === 'progress' && ofRun(e));
  expect(run.map((e) => e.data.status)).toContain('running');
  expect(run.map((e) => e.data.processed)).toEqual([...run.map((e) => e.data.processed)].sort());
  expect(run.at(-1)?.data).toMatchObject({
    status: 'success',
    processed: 3,
    total: 3,
    recordsCreated: 3,
  });
  const usage = events().find((e) => e.event === 'rateLimit')?.data;
  expect(usage.routing).toMatch(/^(euw1|europe)$/);
  expect(usage.windows[0]).toMatchObject({ scope: 'app', limit: expect.any(Number) });
});

test('watch for people: a line per change; Ctrl-C ends it with 0', async () => {
  const watch = spawnCli(['watch'], env);
  await subscribed(2);
  const id = JSON.parse(
    (await runCli(['--json', 'jobs', 'trigger', 'player_analyzer'], env)).stdout,
  ).executionId;
  const line = new RegExp(
    `^\\d\\d:\\d\\d:\\d\\dZ execution ${id} player_analyzer success steps 3/3 \\(api 0, 3 created, 6 updated\\)$`,
    'm',
  );
  await waitFor(async () => line.test(watch.result.stdout));
  watch.child.kill('SIGINT');
  expect((await watch.done).code).toBe(0);
  expect(watch.result.stderr).toContain('Watching executions and rate limits (Ctrl-C to stop)');
  await subscribed(0);
});

test('watch exits 1 when the server cannot be reached', async () => {
  const r = await runCli(['watch', '--url', 'http://127.0.0.1:9']);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/Cannot reach riftwatch/);
});

test('watch --json errors are one line each, as its events are', async () => {
  const lines = (stdout: string) => stdout.trimEnd().split('\n');
  const unreachable = await runCli(['--json', 'watch', '--url', 'http://127.0.0.1:9']);
  expect(unreachable.code).toBe(1);
  expect(lines(unreachable.stdout).map((line) => JSON.parse(line))).toEqual([
    { error: { code: 'UNAVAILABLE', message: expect.stringMatching(/^Cannot reach riftwatch/) } },
  ]);
  const usage = await runCli(['--json', 'watch', '--bogus']);
  expect(usage.code).toBe(2);
  expect(lines(usage.stdout).map((line) => JSON.parse(line))).toEqual([
    { error: { code: 'USAGE', message: "unknown option '--bogus'" } },
  ]);
});
