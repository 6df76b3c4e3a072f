import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduledJobName } from '../../../src/jobs/engine/schedule-reconciler.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import {
  configId,
  type EngineHandle,
  type ExecutionRow,
  startEngine,
  waitFor,
} from './engine-harness.ts';

let db: TestDatabase;
let handle: EngineHandle;
let updater: number;

const nextRun = async () => (await handle.engine.nextRuns()).get(updater);
const scheduledRuns = async () =>
  (
    await db.sql<ExecutionRow>(
      `SELECT * FROM job_executions WHERE job_config_id = $1 AND trigger = 'schedule' ORDER BY id`,
      [updater],
    )
  ).rows;

beforeAll(async () => {
  db = await createTestDatabase();
  updater = await configId(db, 'tracked_player_updater');
  await db.sql(`UPDATE job_configurations SET is_active = false WHERE id <> $1`, [updater]);
  handle = await startEngine(db);
});
afterAll(async () => {
  await handle.engine.stop();
  await db.drop();
});

describe('a schedule changed while its run is in progress', () => {
  it('takes effect when the run ends (Agenda would store the old schedule’s next run)', async () => {
    await db.sql(
      `UPDATE job_configurations SET schedule = 'interval:1', config_json = '{"sleep_ms": 1500}' WHERE id = $1`,
      [updater],
    );
    const run = await waitFor(
      async () => (await scheduledRuns()).find((r) => r.status === 'running'),
      5000,
      'a scheduled run in progress',
    );
    await db.sql(`UPDATE job_configurations SET schedule = '1 hour' WHERE id = $1`, [updater]);
    await waitFor(
      async () => (await scheduledRuns()).find((r) => r.id === run.id && r.status === 'success'),
      5000,
      'the run to end',
    );
    const hourAhead = Date.now() + 3_600_000;
    await waitFor(
      async () => Math.abs(Number(await nextRun()) - hourAhead) < 60_000,
      3000,
      'the next run an hour ahead',
    );
    // No run on the old one-second cadence after the change.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await scheduledRuns()).filter((r) => r.id > run.id)).toEqual([]);
  });

  it('repairs a stored next run later than the schedule allows', async () => {
    await db.sql(`UPDATE job_configurations SET schedule = 'interval:5' WHERE id = $1`, [updater]);
    await waitFor(async () => Number(await nextRun()) < Date.now() + 6000, 5000, 'every 5 s');
    // What an ending run writes back when it began under a one-hour schedule.
    await db.sql(
      `UPDATE agenda.agenda_jobs SET next_run_at = now() + interval '1 hour' WHERE name = $1`,
      [scheduledJobName(updater)],
    );
    await handle.engine.reconcile();
    expect(Number(await nextRun())).toBeLessThan(Date.now() + 6000);
  });

  it('a job fired with the data of an older schedule does not run, and is scheduled anew', async () => {
    await db.sql(`UPDATE job_configurations SET schedule = '1 hour' WHERE id = $1`, [updater]);
    await waitFor(
      async () => Math.abs(Number(await nextRun()) - (Date.now() + 3_600_000)) < 60_000,
      5000,
      'the next run an hour ahead',
    );
    const before = (await scheduledRuns()).length;
    // What Agenda writes back as a run that began under an older schedule ends, due now.
    await db.sql(
      `UPDATE agenda.agenda_jobs SET next_run_at = now(),
         data = jsonb_set(data, '{signature}', '"interval:1 second"') WHERE name = $1`,
      [scheduledJobName(updater)],
    );
    await waitFor(
      async () =>
        handle.logs.lines.some((l) => l.msg === 'Job skipped: fired on a schedule since changed'),
      5000,
      'the stale run skipped',
    );
    await waitFor(
      async () => Math.abs(Number(await nextRun()) - (Date.now() + 3_600_000)) < 60_000,
      5000,
      'the next run an hour ahead again',
    );
    expect((await scheduledRuns()).length).toBe(before);
  });
});
