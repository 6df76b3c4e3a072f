import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import {
  configId,
  type EngineHandle,
  jobRegistry,
  startEngine,
  waitFor,
} from './engine-harness.ts';

// An edit by raw SQL reaches the scheduler within 5 s, without a restart.
const PROPAGATION_BOUND_MS = 5000;

// Cron schedules are UTC whatever the host's time zone: run this file in one with a half-hour
// offset, where local minutes differ from UTC minutes.
process.env.TZ = 'Asia/Kolkata';

let db: TestDatabase;
let handle: EngineHandle;
let updater: number;
let analyzer: number;
let retention: number;
const latencies: Record<string, number> = {};

/** Runs `sql`, then waits until `probe` holds; returns the elapsed time. */
async function timeEdit(label: string, sql: string, probe: () => Promise<boolean>) {
  const started = performance.now();
  await db.sql(sql);
  await waitFor(probe, PROPAGATION_BOUND_MS + 2000, label);
  const elapsed = performance.now() - started;
  latencies[label] = Math.round(elapsed);
  expect(elapsed).toBeLessThanOrEqual(PROPAGATION_BOUND_MS);
}

const nextRun = async (id: number) => (await handle.engine.nextRuns()).get(id);
const configError = async (id: number) =>
  (
    await db.sql<{ config_error: string | null }>(
      'SELECT config_error FROM job_configurations WHERE id = $1',
      [id],
    )
  ).rows[0]?.config_error;

beforeAll(async () => {
  db = await createTestDatabase();
  [updater, analyzer, retention] = await Promise.all([
    configId(db, 'tracked_player_updater'),
    configId(db, 'player_analyzer'),
    configId(db, 'execution_retention'),
  ]);
  handle = await startEngine(db, { registry: jobRegistry });
});
afterAll(async () => {
  await handle.engine.stop();
  await db.drop();
  console.info('SQL edit → scheduler latency (ms):', JSON.stringify(latencies));
});

describe('job_configurations drive the schedule', () => {
  it('schedules every seeded row at start (NULL schedule → JOB_INTERVAL_SECONDS, cron for retention)', async () => {
    const runs = await handle.engine.nextRuns();
    expect([...runs.keys()].sort()).toEqual([updater, analyzer, retention].sort());
    const inTwoMinutes = Date.now() + 120_000;
    expect(Math.abs(Number(runs.get(updater)) - inTwoMinutes)).toBeLessThan(5000);
    expect(runs.get(retention)?.getUTCMinutes()).toBe(0);
    expect(runs.get(retention)?.getUTCHours()).toBe(3);
  });

  it('applies is_active = false and back within 5 s', async () => {
    await timeEdit(
      'is_active=false',
      `UPDATE job_configurations SET is_active = false WHERE job_type = 'tracked_player_updater'`,
      async () => (await nextRun(updater)) === undefined,
    );
    await timeEdit(
      'is_active=true',
      `UPDATE job_configurations SET is_active = true WHERE job_type = 'tracked_player_updater'`,
      async () => (await nextRun(updater)) instanceof Date,
    );
  });

  it('applies a schedule change within 5 s', async () => {
    await timeEdit(
      'schedule=1 hour',
      `UPDATE job_configurations SET schedule = '1 hour' WHERE id = ${analyzer}`,
      async () => Number(await nextRun(analyzer)) > Date.now() + 3000_000,
    );
    await timeEdit(
      'schedule=cron',
      `UPDATE job_configurations SET schedule = '30 4 * * *' WHERE id = ${analyzer}`,
      async () => {
        const next = await nextRun(analyzer);
        return next?.getUTCHours() === 4 && next.getUTCMinutes() === 30;
      },
    );
  });

  it('an invalid row is disabled alone, with its reason in config_error; fixing it re-enables it', async () => {
    await timeEdit(
      'invalid schedule',
      `UPDATE job_configurations SET schedule = 'whenever' WHERE id = ${analyzer}`,
      async () =>
        (await configError(analyzer))?.includes('Invalid schedule') === true &&
        (await nextRun(analyzer)) === undefined,
    );
    await timeEdit(
      'invalid config_json',
      `UPDATE job_configurations SET config_json = '{"max_tracked_players": "ten", "bogus": 1}' WHERE id = ${updater}`,
      async () => Boolean(await configError(updater)) && (await nextRun(updater)) === undefined,
    );
    const reason = await configError(updater);
    expect(reason).toMatch(/max_tracked_players: .*expected number/);
    expect(reason).toMatch(/bogus/);
    // The other rows keep their schedule.
    expect(await nextRun(retention)).toBeInstanceOf(Date);
    expect(
      handle.logs.lines.some(
        (l) => l.msg === 'Job configuration invalid: not scheduled' && l.job_config_id === updater,
      ),
    ).toBe(true);

    // The runbook's partial config: missing keys fall back to defaults.
    await timeEdit(
      'partial config_json',
      `UPDATE job_configurations SET config_json = '{"max_new_matches_per_player": 30}' WHERE job_type = 'tracked_player_updater'`,
      async () => (await configError(updater)) === null && (await nextRun(updater)) instanceof Date,
    );
    await timeEdit(
      'jsonb_set invalid',
      `UPDATE job_configurations SET config_json = jsonb_set(config_json, '{max_new_matches_per_player}', '"lots"') WHERE job_type = 'tracked_player_updater'`,
      async () => Boolean(await configError(updater)),
    );
    await timeEdit(
      'jsonb_set valid',
      `UPDATE job_configurations SET config_json = jsonb_set(config_json, '{max_new_matches_per_player}', '10') WHERE job_type = 'tracked_player_updater'`,
      async () => (await configError(updater)) === null && (await nextRun(updater)) instanceof Date,
    );
    await timeEdit(
      'schedule fixed',
      `UPDATE job_configurations SET schedule = NULL WHERE id = ${analyzer}`,
      async () =>
        (await configError(analyzer)) === null && (await nextRun(analyzer)) instanceof Date,
    );
  });

  it('runs on the schedule once it is short, creating the row as running directly', async () => {
    await db.sql(`UPDATE job_configurations SET schedule = 'interval:1' WHERE id = ${updater}`);
    const rows = await waitFor(
      async () => {
        const { rows } = await db.sql<{ status: string; trigger: string }>(
          `SELECT status, trigger FROM job_executions WHERE job_config_id = $1 AND trigger = 'schedule' AND status = 'success'`,
          [updater],
        );
        return rows.length >= 2 ? rows : null;
      },
      8000,
      'two scheduled runs',
    );
    expect(rows.every((r) => r.trigger === 'schedule')).toBe(true);
    await db.sql(`UPDATE job_configurations SET schedule = NULL WHERE id = ${updater}`);
    // A successful updater run chains the analyzer.
    await waitFor(
      async () =>
        (
          await db.sql(
            `SELECT 1 FROM job_executions WHERE job_config_id = $1 AND status = 'success'`,
            [analyzer],
          )
        ).rowCount,
      5000,
      'chained analyzer run',
    );
  });

  it('removes the schedule of a deleted configuration', async () => {
    const { rows } = await db.sql<{ id: number }>(
      `INSERT INTO job_configurations (job_type, name, schedule) VALUES ('execution_retention', 'Second retention', '45 2 * * *') RETURNING id`,
    );
    const id = (rows[0] as { id: number }).id;
    await waitFor(
      async () => (await nextRun(id)) instanceof Date,
      PROPAGATION_BOUND_MS,
      'new row scheduled',
    );
    await timeEdit(
      'DELETE row',
      `DELETE FROM job_configurations WHERE id = ${id}`,
      async () => (await nextRun(id)) === undefined,
    );
  });
});
