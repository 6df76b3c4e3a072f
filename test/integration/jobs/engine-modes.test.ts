import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionStatusEvent } from '../../../src/events/pubsub.ts';
import { createJobOperations } from '../../../src/jobs/admin/operations.ts';
import type { JobRegistry } from '../../../src/jobs/engine/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { configId, execution, sleepyRegistry, startEngine, waitFor } from './engine-harness.ts';

let db: TestDatabase;
let updater: number;

beforeAll(async () => {
  db = await createTestDatabase();
  updater = await configId(db, 'tracked_player_updater');
});
afterAll(async () => {
  await db.drop();
});

describe('JOB_SCHEDULER_ENABLED=false', () => {
  it('runs nothing on schedule; manual triggers still run and say so in the log', async () => {
    await db.sql(
      `UPDATE job_configurations SET schedule = 'interval:1', config_json = '{}' WHERE id = $1`,
      [updater],
    );
    const { engine, logs } = await startEngine(db, { schedulerEnabled: false });
    try {
      expect(
        logs.lines.some((l) =>
          String(l.msg).startsWith('Job scheduler disabled (JOB_SCHEDULER_ENABLED=false)'),
        ),
      ).toBe(true);
      expect((await engine.nextRuns()).size).toBe(0);
      await new Promise((r) => setTimeout(r, 2500));
      expect((await db.sql('SELECT count(*)::int AS n FROM job_executions')).rows[0]?.n).toBe(0);

      const id = await engine.enqueue(updater);
      await waitFor(
        async () => (await execution(db, id))?.status === 'success',
        5000,
        'manual run',
      );
      expect(
        logs.lines.some(
          (l) =>
            l.execution_id === id &&
            String(l.msg).startsWith('Manual trigger runs although the scheduler is disabled'),
        ),
      ).toBe(true);
      // The analyzer chain belongs to the schedule: not while it is disabled.
      await new Promise((r) => setTimeout(r, 500));
      expect((await db.sql('SELECT count(*)::int AS n FROM job_executions')).rows[0]?.n).toBe(1);
    } finally {
      await engine.stop();
    }
  });
});

describe('a process with JOB_SCHEDULER_ENABLED=false beside one with it enabled', () => {
  it('leaves the shared schedules alone, so the enabled process keeps its cadence', async () => {
    await db.sql('DELETE FROM job_executions');
    await db.sql(
      `UPDATE job_configurations SET schedule = 'interval:1', config_json = '{}' WHERE id = $1`,
      [updater],
    );
    const enabled = await startEngine(db);
    const disabled = await startEngine(db, { schedulerEnabled: false });
    try {
      await disabled.engine.reconcile();
      expect((await enabled.engine.nextRuns()).has(updater)).toBe(true);
      const scheduledRuns = async () =>
        (
          await db.sql<{ n: number }>(
            `SELECT count(*)::int AS n FROM job_executions WHERE trigger = 'schedule' AND status = 'success' AND job_config_id = $1`,
            [updater],
          )
        ).rows[0]?.n ?? 0;
      const before = await scheduledRuns();
      await waitFor(async () => (await scheduledRuns()) >= before + 3, 8000, 'three more runs');
    } finally {
      await disabled.engine.stop();
      await enabled.engine.stop();
      await db.sql(`UPDATE job_configurations SET schedule = NULL WHERE id = $1`, [updater]);
    }
  });
});

describe('the job answered by a process with JOB_SCHEDULER_ENABLED=false', () => {
  it('has no next run once inactive, although the shared store still holds one', async () => {
    await db.sql(`UPDATE job_configurations SET schedule = '300', is_active = true WHERE id = $1`, [
      updater,
    ]);
    const enabled = await startEngine(db);
    // Stopped: nobody removes its schedule from the store.
    await enabled.engine.stop();
    const disabled = await startEngine(db, { schedulerEnabled: false });
    try {
      const ops = createJobOperations({ prisma: db.prisma, engine: disabled.engine });
      await ops.configureJob(updater, { isActive: false });
      expect((await disabled.engine.nextRuns()).has(updater)).toBe(true);
      expect((await ops.getJob(updater))?.nextRunAt).toBeNull();
      expect((await ops.listJobs()).find((j) => j.id === updater)?.nextRunAt).toBeNull();
    } finally {
      await disabled.engine.stop();
      await db.sql(
        `UPDATE job_configurations SET schedule = NULL, is_active = true WHERE id = $1`,
        [updater],
      );
    }
  });
});

describe('graceful shutdown', () => {
  it('lets a short run finish and cancels a long one after the drain period', async () => {
    // A clean slate: triggers left by the tests above would run first (oldest first).
    await db.sql('DELETE FROM job_executions');
    await db.sql('DELETE FROM agenda.agenda_jobs');
    await db.sql(
      `UPDATE job_configurations SET schedule = NULL, config_json = '{"sleep_ms": 20000}' WHERE id = $1`,
      [updater],
    );
    const analyzer = await configId(db, 'player_analyzer');
    // The short run lasts 2 s so both are surely running together; the drain period is 4 s.
    await db.sql(`UPDATE job_configurations SET config_json = '{"sleep_ms": 2000}' WHERE id = $1`, [
      analyzer,
    ]);
    const { engine, logs } = await startEngine(db, { timings: { drainMs: 4000 } });
    const long = await engine.enqueue(updater);
    const short = await engine.enqueue(analyzer);
    await waitFor(
      async () =>
        (await execution(db, long))?.status === 'running' &&
        (await execution(db, short))?.status === 'running',
      5000,
      'both running',
    );
    const started = Date.now();
    await engine.stop();
    // The long run's handler honours its signal once the 4 s drain period is over.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await execution(db, short)).toMatchObject({ status: 'success' });
    expect(await execution(db, long)).toMatchObject({
      status: 'cancelled',
      error_message: expect.stringMatching(/worker shutting down/),
    });
    expect(logs.lines.some((l) => l.msg === 'Job engine stopped')).toBe(true);
  });
});

describe('a process that does not know a job type (a newer process added it)', () => {
  it('fails a triggered run of it like any run that cannot start: row, log line and status event', async () => {
    await db.sql('DELETE FROM job_executions');
    await db.sql('DELETE FROM agenda.agenda_jobs');
    const { execution_retention: _unknown, ...known } = sleepyRegistry;
    const { engine, pubsub, logs } = await startEngine(db, {
      registry: known as unknown as JobRegistry,
    });
    const statuses = pubsub.subscribe('executionStatus');
    const published: ExecutionStatusEvent[] = [];
    void (async () => {
      for await (const event of statuses) published.push(event);
    })();
    try {
      const id = await engine.enqueue(await configId(db, 'execution_retention'));
      // Published last, once the row is failed and the line logged.
      const failed = await waitFor(
        async () => published.find((e) => e.executionId === id && e.status === 'failed'),
        5000,
        'the failed status event',
      );
      const row = await execution(db, id);
      expect(row).toMatchObject({
        status: 'failed',
        error_message: 'Unknown job type "execution_retention"',
      });
      expect(failed.errorMessage).toBe(row?.error_message);
      expect(logs.lines.find((l) => l.msg === 'Job failed' && l.execution_id === id)).toMatchObject(
        { job_type: 'execution_retention', error: row?.error_message },
      );
    } finally {
      await statuses.return();
      await engine.stop();
    }
  });
});
