import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobOperations, type JobOperations } from '../../../src/jobs/admin/operations.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import {
  configId,
  type EngineHandle,
  execution,
  executionWithStatus,
  jobRegistry,
  startEngine,
  waitFor,
} from './engine-harness.ts';

let db: TestDatabase;
let handle: EngineHandle;
let ops: JobOperations;
let updater: number;
let retention: number;

const configRow = async (id: number) =>
  (
    await db.sql(
      'SELECT is_active, schedule, config_json, updated_at FROM job_configurations WHERE id = $1',
      [id],
    )
  ).rows[0];

beforeAll(async () => {
  db = await createTestDatabase();
  updater = await configId(db, 'tracked_player_updater');
  retention = await configId(db, 'execution_retention');
  handle = await startEngine(db, { registry: jobRegistry });
  ops = createJobOperations({ prisma: db.prisma, engine: handle.engine });
});
afterAll(async () => {
  await handle.engine.stop();
  await db.drop();
});

describe('job use-cases', () => {
  it('lists jobs with next run, last run and config errors', async () => {
    const id = await ops.triggerJob(retention);
    await waitFor(
      async () => (await execution(db, id))?.status === 'success',
      5000,
      'retention run',
    );
    const jobs = await ops.listJobs();
    expect(jobs.map((j) => j.jobType)).toEqual([
      'tracked_player_updater',
      'player_analyzer',
      'execution_retention',
    ]);
    const job = jobs.find((j) => j.id === retention);
    expect(job).toMatchObject({
      isActive: true,
      schedule: '0 3 * * *',
      configError: null,
      runningExecutionId: null,
    });
    expect(job?.nextRunAt).toBeInstanceOf(Date);
    expect(job?.lastExecution).toMatchObject({ id, status: 'success', trigger: 'manual' });
  });

  it('rejects a bad id or bad input with a typed error and changes nothing', async () => {
    const before = await configRow(updater);
    const count = async () =>
      (await db.sql('SELECT count(*)::int AS n FROM job_executions')).rows[0]?.n;
    const executions = await count();
    await expect(ops.triggerJob(424242)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ops.configureJob(424242, { isActive: false })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      ops.configureJob(updater, { isActive: false, schedule: 'now and then' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/Invalid schedule/),
    });
    await expect(
      ops.configureJob(updater, { config: { max_tracked_players: -1 } }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(ops.configureJob(updater, { config: { unknown_key: 1 } })).rejects.toThrow(
      /unknown_key/,
    );
    expect(await configRow(updater)).toEqual(before);
    expect(await count()).toBe(executions);
  });

  it('configures: merge keeps other keys, replace stores the config as given', async () => {
    await ops.configureJob(updater, { config: { max_tracked_players: 5 } });
    expect((await configRow(updater))?.config_json).toEqual({
      max_new_matches_per_player: 20,
      max_tracked_players: 5,
    });
    await ops.configureJob(updater, {
      config: { max_new_matches_per_player: 30 },
      mode: 'replace',
      schedule: '2 minutes',
    });
    expect(await configRow(updater)).toMatchObject({
      config_json: { max_new_matches_per_player: 30 },
      schedule: '2 minutes',
    });
    await ops.configureJob(updater, { schedule: '' });
    expect((await configRow(updater))?.schedule).toBeNull();
  });

  it('computes the runbook 24 h statistics', async () => {
    await db.sql(
      `INSERT INTO job_executions (job_config_id, status, trigger, started_at, completed_at, api_requests_made)
      VALUES ($1, 'success', 'schedule', now() - interval '10 minutes', now() - interval '9 minutes', 40),
             ($1, 'failed', 'schedule', now() - interval '8 minutes', now() - interval '7 minutes 30 seconds', 10),
             ($1, 'success', 'schedule', now() - interval '30 hours', now() - interval '29 hours', 99)`,
      [updater],
    );
    const stats = await ops.jobStats();
    expect(stats.find((s) => s.jobType === 'tracked_player_updater')).toEqual({
      jobType: 'tracked_player_updater',
      totalExecutions: 2,
      successful: 1,
      failed: 1,
      successRate: 0.5,
      avgDurationSeconds: 45,
      avgApiRequests: 25,
      maxApiRequests: 40,
    });
  });

  it('retention deletes finished executions older than JOB_EXECUTION_RETENTION_DAYS only', async () => {
    const { rows } = await db.sql<{ id: number }>(
      `INSERT INTO job_executions (job_config_id, status, trigger, created_at, started_at, completed_at)
      VALUES ($1, 'success', 'schedule', now() - interval '40 days', now() - interval '40 days', now() - interval '40 days'),
             ($1, 'failed', 'schedule', now() - interval '31 days', now() - interval '31 days', now() - interval '31 days'),
             ($1, 'success', 'schedule', now() - interval '29 days', now() - interval '29 days', now() - interval '29 days'),
             ($1, 'pending', 'manual', now() - interval '90 days', NULL, NULL)
      RETURNING id`,
      [updater],
    );
    const [old1, old2, recent, pending] = rows.map((r) => r.id);
    const id = await ops.triggerJob(retention);
    const run = await executionWithStatus(db, id, 'success', 5000, 'retention run');
    expect(run.progress).toMatchObject({ phase: 'deleted', processed: 2 });
    const left = (
      await db.sql<{ id: number }>('SELECT id FROM job_executions WHERE id = ANY($1)', [
        [old1, old2, recent, pending],
      ])
    ).rows.map((r) => r.id);
    expect(left.sort()).toEqual([recent, pending].sort());
    await db.sql('DELETE FROM job_executions WHERE id = $1', [pending]);
  });

  it('publishes the end of a running execution whose worker is gone (cancel, emergency stop)', async () => {
    const events: { executionId: number; status: string; errorMessage: string | null }[] = [];
    const subscription = handle.pubsub.subscribe('executionStatus');
    void (async () => {
      for await (const event of subscription) events.push(event);
    })();
    // What a worker killed mid-run (SIGKILL, OOM) leaves: a running row, no live session.
    const deadRun = async () =>
      (
        await db.sql<{ id: number }>(
          `INSERT INTO job_executions (job_config_id, status, trigger, started_at, heartbeat_at, worker_id)
          VALUES ($1, 'running', 'manual', now(), now(), 'killed:999:deadbeef') RETURNING id`,
          [retention],
        )
      ).rows[0]?.id as number;
    try {
      const cancelled = await deadRun();
      await ops.cancelExecution(cancelled);
      const failed = await deadRun();
      await ops.failRunningExecutions();
      await waitFor(
        async () => events.some((e) => e.executionId === failed),
        3000,
        'the emergency stop event',
      );
      expect(events.filter((e) => [cancelled, failed].includes(e.executionId))).toMatchObject([
        { executionId: cancelled, status: 'cancelled', errorMessage: 'Cancelled by operator' },
        { executionId: failed, status: 'failed', errorMessage: 'Emergency stop' },
      ]);
    } finally {
      await subscription.return?.();
      await db.sql('DELETE FROM job_executions WHERE worker_id = $1', ['killed:999:deadbeef']);
    }
  });

  it('emergency: fail running, disable all, reset state', async () => {
    await db.sql(`UPDATE job_configurations SET config_json = '{}' WHERE id = $1`, [updater]);
    await db.sql(
      `INSERT INTO players (puuid, platform, is_tracked, is_analyzed) VALUES ('p-1', 'euw1', true, true)`,
    );
    // A run of another worker (live heartbeat); engine-lifecycle.test.ts stops a real one.
    await db.sql(
      `INSERT INTO job_executions (job_config_id, status, trigger, started_at, heartbeat_at, worker_id)
      VALUES ($1, 'running', 'manual', now(), now(), 'elsewhere:1:ab')`,
      [retention],
    );
    // And a trigger queued behind it, which would start as soon as the slot is free.
    await db.sql(
      `INSERT INTO job_executions (job_config_id, status, trigger) VALUES ($1, 'pending', 'manual')`,
      [retention],
    );
    const cleared = await ops.failRunningExecutions();
    const ended = await db.sql<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM job_executions
       WHERE error_message = 'Emergency stop' GROUP BY status ORDER BY status`,
    );
    // (A scheduled run of another job, or its queued follow-up, may be among them.)
    expect(ended.rows).toEqual([
      { status: 'cancelled', n: cleared.cancelled },
      { status: 'failed', n: cleared.failed },
    ]);
    expect(cleared.cancelled).toBeGreaterThanOrEqual(1);
    const mine = await db.sql(
      `SELECT status FROM job_executions WHERE job_config_id = $1 AND error_message = 'Emergency stop'
       ORDER BY id`,
      [retention],
    );
    expect(mine.rows).toEqual([{ status: 'failed' }, { status: 'cancelled' }]);

    expect(await ops.disableAllJobs()).toBe(3);
    await waitFor(
      async () => (await handle.engine.nextRuns()).size === 0,
      5000,
      'all schedules removed',
    );

    expect(await ops.resetJobState()).toEqual({ playersReset: 1 });
    expect((await db.sql('SELECT count(*)::int AS n FROM job_executions')).rows[0]?.n).toBe(0);
    expect(
      (await db.sql(`SELECT is_tracked, is_analyzed FROM players WHERE puuid = 'p-1'`)).rows[0],
    ).toEqual({ is_tracked: false, is_analyzed: false });
    expect((await db.sql('SELECT count(*)::int AS n FROM job_configurations')).rows[0]?.n).toBe(3);
  });
});
