import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { configId } from '../jobs/engine-harness.ts';
import { type Loose, startGraphQL } from './harness.ts';
import { ALICE, seedPlayers } from './seed.ts';

let db: TestDatabase;
let g: Awaited<ReturnType<typeof startGraphQL>>;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedPlayers(db);
  g = await startGraphQL(db);
});
afterAll(async () => {
  await g?.stop();
  await db?.drop();
});

describe('jobs and executions', () => {
  test('jobs and job(id): parsed schedule, next run, last run; global and numeric ids', async () => {
    const updater = await configId(db, 'tracked_player_updater');
    await db.sql(`UPDATE job_configurations SET schedule = '5 minutes' WHERE id = $1`, [updater]);
    await g.engine.reconcile();
    const r = await g.gql(
      '{ jobs { id databaseId jobType name isActive schedule scheduleDescription nextRunAt config } }',
    );
    const job = r.data?.jobs.find((j: Loose) => j.databaseId === updater);
    expect(job).toMatchObject({
      jobType: 'tracked_player_updater',
      isActive: true,
      schedule: '5 minutes',
      scheduleDescription: 'every 300 s',
    });
    expect(Date.parse(job.nextRunAt)).toBeGreaterThan(Date.now());
    const byGlobal = await g.gql('query($id: ID!) { job(id: $id) { databaseId } }', { id: job.id });
    const byNumber = await g.gql('query($id: ID!) { job(id: $id) { databaseId } }', {
      id: String(updater),
    });
    expect(byGlobal.data?.job).toEqual({ databaseId: updater });
    expect(byNumber.data?.job).toEqual({ databaseId: updater });
    expect((await g.gql('{ job(id: "9999") { databaseId } }')).data?.job).toBeNull();
  });

  test('jobExecutions filters, jobExecution progress and log, jobStats, statusOverview', async () => {
    const analyzer = await configId(db, 'player_analyzer');
    const retention = await configId(db, 'execution_retention');
    const { rows } = await db.sql<{ id: number }>(
      `INSERT INTO job_executions (job_config_id, status, trigger, started_at, completed_at, api_requests_made, progress, execution_log)
       VALUES ($1, 'success', 'manual', now() - interval '10 seconds', now(), 12,
               '{"phase":"players","processed":3,"total":5,"updatedAt":"2026-01-01T00:00:00.000Z"}',
               '[{"at":"2026-01-01T00:00:00.000Z","item":"player X","error":"boom"}]'),
              ($1, 'failed', 'schedule', now() - interval '4 seconds', now(), 4, NULL, '[]'),
              ($2, 'success', 'schedule', now() - interval '2 days', now() - interval '2 days', 0, NULL, '[]')
       RETURNING id`,
      [analyzer, retention],
    );
    const [okId, failedId] = rows.map((r) => r.id);
    const list = await g.gql(
      'query($j: ID, $s: ExecutionStatus) { jobExecutions(jobId: $j, status: $s) { totalCount edges { node { databaseId status trigger jobType } } } }',
      { j: String(analyzer) },
    );
    expect(list.data?.jobExecutions.edges.map((e: Loose) => e.node.databaseId)).toEqual([
      failedId,
      okId,
    ]);
    const failed = await g.gql(
      'query($j: ID, $s: ExecutionStatus) { jobExecutions(jobId: $j, status: $s) { edges { node { databaseId } } } }',
      { j: String(analyzer), s: 'failed' },
    );
    expect(failed.data?.jobExecutions.edges).toEqual([{ node: { databaseId: failedId } }]);
    // `since`: created at or after. The retention run's row is backdated to 2 days ago.
    await db.sql(`UPDATE job_executions SET created_at = started_at WHERE id = ANY($1)`, [
      rows.map((r) => r.id),
    ]);
    const recent = await g.gql(
      'query($s: DateTime) { jobExecutions(since: $s) { totalCount edges { node { databaseId } } } }',
      { s: new Date(Date.now() - 86_400_000).toISOString() },
    );
    expect(recent.data?.jobExecutions.edges.map((e: Loose) => e.node.databaseId)).toEqual([
      failedId,
      okId,
    ]);
    expect(recent.data?.jobExecutions.totalCount).toBe(2);
    const one = await g.gql(
      'query($id: ID!) { jobExecution(id: $id) { status apiRequestsMade durationSeconds jobName progress { phase processed total updatedAt } log { at item error } } }',
      { id: String(okId) },
    );
    expect(one.data?.jobExecution).toMatchObject({
      status: 'success',
      apiRequestsMade: 12,
      jobName: 'Player Analyzer',
      progress: { phase: 'players', processed: 3, total: 5, updatedAt: '2026-01-01T00:00:00.000Z' },
      log: [{ at: '2026-01-01T00:00:00.000Z', item: 'player X', error: 'boom' }],
    });
    expect(one.data?.jobExecution.durationSeconds).toBeCloseTo(10, 0);
    const stats = await g.gql(
      '{ jobStats { jobType totalExecutions successful failed successRate avgDurationSeconds avgApiRequests maxApiRequests } }',
    );
    const analyzerStats = stats.data?.jobStats.find((s: Loose) => s.jobType === 'player_analyzer');
    expect(analyzerStats).toMatchObject({
      totalExecutions: 2,
      successful: 1,
      failed: 1,
      successRate: 0.5,
      avgApiRequests: 8,
      maxApiRequests: 12,
    });
    // Runs of 10 s and 4 s.
    expect(analyzerStats.avgDurationSeconds).toBeCloseTo(7, 0);
    // The retention run is 2 days old: outside the default 24 h, inside a 3-day window.
    expect(stats.data?.jobStats.map((s: Loose) => s.jobType)).not.toContain('execution_retention');
    const since = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const wide = await g.gql('query($s: DateTime) { jobStats(since: $s) { jobType } }', {
      s: since,
    });
    expect(wide.data?.jobStats.map((s: Loose) => s.jobType)).toContain('execution_retention');
  });

  test('statusOverview: scheduler, jobs with last run, running executions, rate limits', async () => {
    await g.pair.client.getAccountByPuuid('europe', ALICE).catch(() => {});
    const query = `{ statusOverview { at scheduler { enabled workerId }
      jobs { databaseId name lastRun { executionId status } nextRunAt }
      runningExecutions { databaseId jobName progress { processed total } }
      rateLimits { routing windows { scope limit used windowSeconds percentage } } } }`;
    const before = (await g.gql(query)).data?.statusOverview;
    expect(before.runningExecutions).toEqual([]);
    const updater = await configId(db, 'tracked_player_updater');
    const { rows } = await db.sql<{ id: number }>(
      `INSERT INTO job_executions (job_config_id, status, trigger, started_at, heartbeat_at, progress)
       VALUES ($1, 'running', 'manual', now(), now(), '{"phase":"players","processed":2,"total":9}')
       RETURNING id`,
      [updater],
    );
    const runningId = rows[0]?.id;
    try {
      const r = await g.gql(query);
      const s = r.data?.statusOverview;
      expect(s.scheduler).toEqual({ enabled: true, workerId: g.engine.workerId });
      expect(s.jobs).toHaveLength(3);
      expect(s.runningExecutions).toEqual([
        {
          databaseId: runningId,
          jobName: 'Tracked Player Updater',
          progress: { processed: 2, total: 9 },
        },
      ]);
      // Each job's last run: the newest execution, the running one included.
      const updaterJob = s.jobs.find((j: Loose) => j.databaseId === updater);
      expect(updaterJob.lastRun).toEqual({ executionId: expect.any(String), status: 'running' });
      const analyzer = await configId(db, 'player_analyzer');
      expect(s.jobs.find((j: Loose) => j.databaseId === analyzer).lastRun.status).toBe('failed');
      const europe = s.rateLimits.find((u: Loose) => u.routing === 'europe');
      expect(europe.windows.find((w: Loose) => w.scope === 'app').used).toBeGreaterThanOrEqual(1);
    } finally {
      await db.sql(
        `UPDATE job_executions SET status = 'cancelled', completed_at = now() WHERE id = $1`,
        [runningId],
      );
    }
  });

  test('jobExecutions: a cursor whose row has left the filter still pages on; first with last is refused', async () => {
    const retention = await configId(db, 'execution_retention');
    const { rows } = await db.sql<{ id: number }>(
      `INSERT INTO job_executions (job_config_id, status, trigger)
       SELECT $1, 'failed', 'manual' FROM generate_series(1, 4) RETURNING id`,
      [retention],
    );
    const [a, b, c, d] = rows.map((r) => r.id).sort((x, y) => x - y);
    const page = (vars: Record<string, unknown>) =>
      g.gql(
        `query($j: ID, $first: Int, $last: Int, $after: String, $before: String) {
          jobExecutions(jobId: $j, status: failed, first: $first, last: $last, after: $after, before: $before) {
            edges { node { databaseId } } pageInfo { endCursor } } }`,
        { j: String(retention), ...vars },
      );
    const ids = (r: Loose) => r.data?.jobExecutions.edges.map((e: Loose) => e.node.databaseId);
    try {
      const first = await page({ first: 2 });
      expect(ids(first)).toEqual([d, c]);
      const cursor = first.data?.jobExecutions.pageInfo.endCursor;
      // The run the cursor names was retried and succeeded meanwhile: it has left `failed`.
      await db.sql(`UPDATE job_executions SET status = 'success' WHERE id = $1`, [c]);
      expect(ids(await page({ first: 2, after: cursor }))).toEqual([b, a]);
      expect(ids(await page({ last: 2, before: cursor }))).toEqual([d]);
      const both = await page({ first: 2, last: 1 });
      expect(both.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
      expect(both.errors?.[0]?.message).toMatch(/"first" and "last"/);
    } finally {
      await db.sql('DELETE FROM job_executions WHERE id = ANY($1)', [[a, b, c, d]]);
    }
  });
});

test('introspection stays on', async () => {
  const r = await g.gql('{ __schema { queryType { name } subscriptionType { name } } }');
  expect(r.data?.__schema).toEqual({
    queryType: { name: 'Query' },
    subscriptionType: { name: 'Subscription' },
  });
});
