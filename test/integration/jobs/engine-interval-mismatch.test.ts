import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ScheduledJobData,
  scheduledJobName,
} from '../../../src/jobs/engine/schedule-reconciler.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { configId, type EngineHandle, sleep, startEngine, waitFor } from './engine-harness.ts';

let db: TestDatabase;
let updater: number;

beforeAll(async () => {
  db = await createTestDatabase();
  updater = await configId(db, 'tracked_player_updater');
  await db.sql(
    `UPDATE job_configurations SET is_active = (id = $1), config_json = '{}', schedule = NULL`,
    [updater],
  );
});
afterAll(async () => {
  await db.drop();
});

const scheduledRuns = async () =>
  (
    await db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM job_executions WHERE job_config_id = $1 AND trigger = 'schedule'`,
      [updater],
    )
  ).rows[0]?.n ?? 0;

const storedSignature = async () =>
  (
    await db.sql<{ data: ScheduledJobData }>(
      `SELECT data FROM agenda.agenda_jobs WHERE name = $1`,
      [scheduledJobName(updater)],
    )
  ).rows[0]?.data.signature;

describe('processes that disagree on JOB_INTERVAL_SECONDS (a rolling change)', () => {
  it('keep one stored schedule for a row without its own, so the job still runs', async () => {
    // Every reconcile pass each second: the two used to rewrite each other's schedule each time.
    const timings = { safetyPollMs: 1000 };
    const first = await startEngine(db, { intervalSeconds: 3, timings });
    const second = await startEngine(db, { intervalSeconds: 4, timings });
    let stopped: EngineHandle[] = [];
    try {
      const before = await scheduledRuns();
      await sleep(13_000);
      expect((await scheduledRuns()) - before).toBeGreaterThanOrEqual(2);
      const warnings = second.logs.lines.filter((l) =>
        String(l.msg).startsWith('JOB_INTERVAL_SECONDS differs'),
      );
      expect(warnings).toHaveLength(1);
      // Kept while the process whose default it is lives.
      expect(await storedSignature()).toBe('interval:3000');

      // The process whose default is stored goes away: the other's own default takes over.
      await first.engine.stop();
      stopped = [first];
      await waitFor(
        async () => (await storedSignature()) === 'interval:4000',
        8000,
        'the remaining process to store its own default',
      );
    } finally {
      if (!stopped.includes(first)) await first.engine.stop();
      await second.engine.stop();
    }
  });
});
