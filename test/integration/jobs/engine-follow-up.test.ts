import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFollowUps } from '../../../src/jobs/engine/execution-rows.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import {
  configId,
  execution,
  executionWithStatus,
  insertOrphanPending,
  startEngine,
} from './engine-harness.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const pendingAnalyzerRuns = async () =>
  (
    await db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM job_executions je
       JOIN job_configurations jc ON jc.id = je.job_config_id
       WHERE jc.job_type = 'player_analyzer' AND je.status = 'pending'`,
    )
  ).rows[0]?.n;

describe('follow-up runs (the analyzer after the updater)', () => {
  it('two updaters ending together queue one analyzer run, atomically across connections', async () => {
    for (let round = 0; round < 5; round++) {
      await db.sql('DELETE FROM job_executions');
      const results = await Promise.all(
        Array.from({ length: 6 }, () => insertFollowUps(db.prisma, 'player_analyzer')),
      );
      expect(results.flat()).toHaveLength(1);
      expect(await pendingAnalyzerRuns()).toBe(1);
    }
  });

  it('a queued manual trigger does not stand in for the scheduled follow-up, nor an inactive configuration', async () => {
    await db.sql('DELETE FROM job_executions');
    await db.sql(
      `INSERT INTO job_executions (job_config_id, status, trigger)
       SELECT id, 'pending', 'manual' FROM job_configurations WHERE job_type = 'player_analyzer'`,
    );
    expect(await insertFollowUps(db.prisma, 'player_analyzer')).toHaveLength(1);
    expect(await insertFollowUps(db.prisma, 'player_analyzer')).toHaveLength(0);
    await db.sql('DELETE FROM job_executions');
    await db.sql(
      `UPDATE job_configurations SET is_active = false WHERE job_type = 'player_analyzer'`,
    );
    expect(await insertFollowUps(db.prisma, 'player_analyzer')).toHaveLength(0);
  });
});

describe('a queued scheduled run once its job or the scheduler is disabled', () => {
  /** A follow-up left pending by a process that stopped (no Agenda job): the sweep picks it up. */
  const leftFollowUp = async (jobType: string) => {
    const { rows } = await db.sql<{ id: number }>(
      `INSERT INTO job_executions (job_config_id, status, trigger, created_at)
       SELECT id, 'pending', 'schedule', now() - interval '1 minute' FROM job_configurations
       WHERE job_type = $1 RETURNING id`,
      [jobType],
    );
    return (rows[0] as { id: number }).id;
  };

  it('the job disabled: the run is cancelled, not run; a manual trigger still runs', async () => {
    await db.sql('DELETE FROM job_executions');
    // The runbook's "Disable All Jobs" (by database).
    await db.sql(`UPDATE job_configurations SET is_active = false`);
    const dropped = await leftFollowUp('player_analyzer');
    const handle = await startEngine(db);
    try {
      const row = await executionWithStatus(db, dropped, 'cancelled', 5000, 'the run dropped');
      expect(row.error_message).toBe('Scheduled run dropped: the job is disabled');
      expect(
        handle.logs.lines.some((l) => l.msg === 'Job starting' && l.execution_id === dropped),
      ).toBe(false);
      const manual = await handle.engine.enqueue(await configId(db, 'player_analyzer'));
      await executionWithStatus(db, manual, 'success', 5000, 'the manual trigger to run');
    } finally {
      await handle.engine.stop();
    }
  });

  it('a process whose scheduler is off leaves it to one whose scheduler runs; manual triggers still run', async () => {
    await db.sql('DELETE FROM job_executions');
    await db.sql(`UPDATE job_configurations SET is_active = (job_type <> 'execution_retention')`);
    await db.sql(`UPDATE job_configurations SET config_json = '{}'`);
    const followUp = await leftFollowUp('player_analyzer');
    // An API-only process (JOB_SCHEDULER_ENABLED=false) sharing the database.
    const api = await startEngine(db, { schedulerEnabled: false });
    try {
      const manual = await api.engine.enqueue(await configId(db, 'player_analyzer'));
      await executionWithStatus(db, manual, 'success', 5000, 'the manual trigger to run');
      // Well past the orphan grace and several hand-backs.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await execution(db, followUp))?.status).toBe('pending');
      const worker = await startEngine(db);
      try {
        const row = await executionWithStatus(db, followUp, 'success', 8000, 'the follow-up');
        expect(row.worker_id).toBe(worker.engine.workerId);
      } finally {
        await worker.engine.stop();
      }
    } finally {
      await api.engine.stop();
    }
  });
});

describe('the orphan sweep', () => {
  it('leaves alone a trigger still being queued (row inserted, Agenda job not yet)', async () => {
    await db.sql(`UPDATE job_configurations SET is_active = false`);
    const handle = await startEngine(db);
    try {
      await db.sql('DELETE FROM job_executions');
      const fresh = await insertOrphanPending(db, await configId(db, 'tracked_player_updater'));
      expect(await handle.engine.requeueOrphans()).toEqual([]);
      expect(
        handle.logs.lines.some((l) => l.execution_id === fresh && /no queued job/.test(`${l.msg}`)),
      ).toBe(false);
      // A real orphan (older than the grace period) is queued again and runs.
      await executionWithStatus(db, fresh, 'success', 5000, 'the orphan to run');
    } finally {
      await handle.engine.stop();
    }
  });
});
