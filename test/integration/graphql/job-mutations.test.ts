import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { configId, executionWithStatus } from '../jobs/engine-harness.ts';
import { startGraphQL } from './harness.ts';

let db: TestDatabase;
let g: Awaited<ReturnType<typeof startGraphQL>>;
beforeAll(async () => {
  db = await createTestDatabase();
  g = await startGraphQL(db, { maxTrackedPlayers: 2 });
});
beforeEach(async () => {
  await db.sql('DELETE FROM players');
});
afterAll(async () => {
  await g?.stop();
  await db?.drop();
});

const count = async (sql: string) => (await db.sql<{ n: number }>(sql)).rows[0]?.n;

const TRIGGER = `mutation($id: ID!) { triggerJob(input: { jobId: $id }) { __typename
  ... on ExecutionPayload { execution { id databaseId status trigger jobName } }
  ... on Error { code message } } }`;

describe('jobs', () => {
  test('triggerJob returns the pending execution at once; it then runs to success', async () => {
    const id = await configId(db, 'player_analyzer');
    await db.sql(`UPDATE job_configurations SET config_json = '{"sleep_ms": 200}' WHERE id = $1`, [
      id,
    ]);
    const r = await g.gql(TRIGGER, { id: String(id) });
    const execution = r.data?.triggerJob.execution;
    expect(execution).toMatchObject({
      status: 'pending',
      trigger: 'manual',
      jobName: 'Player Analyzer',
    });
    await executionWithStatus(db, execution.databaseId, 'success', 10_000, 'the triggered run');
  });

  test('configureJob: active flag, schedule, config merged then replaced', async () => {
    const id = await configId(db, 'tracked_player_updater');
    await db.sql(`UPDATE job_configurations SET config_json = '{"steps": 2}' WHERE id = $1`, [id]);
    const CONFIGURE = `mutation($input: ConfigureJobInput!) { configureJob(input: $input) { __typename
      ... on JobPayload { job { isActive schedule scheduleDescription config } } ... on Error { code message } } }`;
    const merged = await g.gql(CONFIGURE, {
      input: {
        jobId: String(id),
        isActive: false,
        schedule: '*/5 * * * *',
        config: { sleep_ms: 10 },
      },
    });
    expect(merged.data?.configureJob.job).toEqual({
      isActive: false,
      schedule: '*/5 * * * *',
      scheduleDescription: 'cron */5 * * * * (UTC)',
      config: { steps: 2, sleep_ms: 10 },
    });
    const replaced = await g.gql(CONFIGURE, {
      input: { jobId: String(id), config: { steps: 3 }, mode: 'REPLACE', schedule: null },
    });
    expect(replaced.data?.configureJob.job).toMatchObject({ schedule: null, config: { steps: 3 } });
    const { rows } = await db.sql(
      'SELECT is_active, schedule, config_json FROM job_configurations WHERE id = $1',
      [id],
    );
    expect(rows[0]).toEqual({ is_active: false, schedule: null, config_json: { steps: 3 } });
    await db.sql('UPDATE job_configurations SET is_active = true WHERE id = $1', [id]);
  });

  test("configureJob answers the job's next run in its new state, not the old one", async () => {
    const id = String(await configId(db, 'execution_retention'));
    const CONFIGURE = `mutation($input: ConfigureJobInput!) { configureJob(input: $input) {
      ... on JobPayload { job { isActive nextRunAt } } ... on Error { code message } } }`;
    const nextRunOf = async (input: Record<string, unknown>) => {
      const r = await g.gql(CONFIGURE, { input: { jobId: id, ...input } });
      const nextRunAt: string | null = r.data?.configureJob.job.nextRunAt;
      return nextRunAt === null ? null : Date.parse(nextRunAt);
    };

    expect(await nextRunOf({ isActive: false })).toBeNull();
    const calledAt = Date.now();
    const next = await nextRunOf({ isActive: true, schedule: '300' });
    expect(next).toBeGreaterThanOrEqual(calledAt + 299_000);
    expect(next).toBeLessThanOrEqual(Date.now() + 301_000);
    await nextRunOf({ schedule: '0 3 * * *' });
  });

  test('cancelExecution cancels a running execution; a second cancel is CONFLICT', async () => {
    const id = await configId(db, 'player_analyzer');
    await db.sql(
      `UPDATE job_configurations SET config_json = '{"sleep_ms": 20000}' WHERE id = $1`,
      [id],
    );
    const started = await g.gql(TRIGGER, { id: String(id) });
    const executionId = started.data?.triggerJob.execution.databaseId;
    await executionWithStatus(db, executionId, 'running', 10_000, 'the long run');
    const CANCEL = `mutation($id: ID!) { cancelExecution(input: { executionId: $id }) { __typename
      ... on ExecutionPayload { previousStatus execution { status errorMessage } } ... on Error { code message } } }`;
    const cancelled = await g.gql(CANCEL, { id: String(executionId) });
    expect(cancelled.data?.cancelExecution).toEqual({
      __typename: 'ExecutionPayload',
      previousStatus: 'running',
      execution: { status: 'cancelled', errorMessage: 'Cancelled by operator' },
    });
    const again = await g.gql(CANCEL, { id: String(executionId) });
    expect(again.data?.cancelExecution).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
    });
  });

  test('emergency operations: failRunningExecutions, disableAllJobs, resetJobState', async () => {
    const id = await configId(db, 'player_analyzer');
    await db.sql(
      `UPDATE job_configurations SET config_json = '{"sleep_ms": 20000}' WHERE id = $1`,
      [id],
    );
    const started = await g.gql(TRIGGER, { id: String(id) });
    const executionId = started.data?.triggerJob.execution.databaseId;
    await executionWithStatus(db, executionId, 'running', 10_000, 'the long run');
    const fail = await g.gql(
      'mutation { failRunningExecutions(input: { confirm: true }) { ... on FailRunningExecutionsPayload { executionsFailed queuedCancelled } } }',
    );
    expect(fail.data?.failRunningExecutions).toEqual({ executionsFailed: 1, queuedCancelled: 0 });
    await executionWithStatus(db, executionId, 'failed', 5_000, 'the emergency stop');

    const disable = await g.gql(
      'mutation { disableAllJobs(input: { confirm: true }) { ... on DisableAllJobsPayload { jobsDisabled } } }',
    );
    expect(disable.data?.disableAllJobs).toEqual({ jobsDisabled: 3 });
    expect(await count('SELECT count(*)::int AS n FROM job_configurations WHERE is_active')).toBe(
      0,
    );

    await db.sql(
      `INSERT INTO players (puuid, platform, is_tracked, is_analyzed) VALUES ('${'R'.repeat(78)}', 'euw1', true, true)`,
    );
    const reset = await g.gql(
      'mutation { resetJobState(input: { confirm: true }) { ... on ResetJobStatePayload { playersReset } } }',
    );
    expect(reset.data?.resetJobState).toEqual({ playersReset: 1 });
    expect(await count('SELECT count(*)::int AS n FROM job_executions')).toBe(0);
    expect(
      await count('SELECT count(*)::int AS n FROM players WHERE is_tracked OR is_analyzed'),
    ).toBe(0);
    await db.sql('UPDATE job_configurations SET is_active = true');
  });
});

describe('a process whose job engine has stopped', () => {
  test('triggerJob is UnavailableError (UNAVAILABLE) and queues nothing; jobs is UNAVAILABLE', async () => {
    const stopped = await startGraphQL(db);
    try {
      await stopped.engine.stop();
      const id = await configId(db, 'player_analyzer');
      const before = await count('SELECT count(*)::int AS n FROM job_executions');
      const r = await stopped.gql(TRIGGER, { id: String(id) });
      expect(r.data?.triggerJob).toMatchObject({
        __typename: 'UnavailableError',
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/riftwatch is stopping/),
      });
      expect(await count('SELECT count(*)::int AS n FROM job_executions')).toBe(before);
      // Nor can its schedules be read: UNAVAILABLE, not an unexpected error.
      const jobs = await stopped.gql('{ jobs { name nextRunAt } }');
      expect(jobs.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/riftwatch is stopping/),
        extensions: { code: 'UNAVAILABLE' },
      });
    } finally {
      await stopped.stop();
    }
  });
});
