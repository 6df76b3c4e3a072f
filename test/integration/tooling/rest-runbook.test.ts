import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { curl, RUNBOOK, runbookCurls } from '../../helpers/runbook-curl.ts';
import { executionWithStatus } from '../jobs/engine-harness.ts';
import { type Loose, snapshot, startTooling, type Tooling } from './harness.ts';

// The runbook's curl commands, read from docs/job-operations-runbook.md and run with the real
// curl binary, only the port and the {placeholders} substituted.
const LIST_JOBS = RUNBOOK.listJobs();
const TRIGGER = RUNBOOK.trigger();
const OVERVIEW = RUNBOOK.overview();
const TRACK = RUNBOOK.track();
const TRACK_EXAMPLE = RUNBOOK.trackExample();
const UNTRACK = RUNBOOK.untrack();
const TRACKED = RUNBOOK.tracked();

test('these tests run every curl command of the runbook', () => {
  const run = [LIST_JOBS, TRIGGER, OVERVIEW, TRACK, TRACK_EXAMPLE, UNTRACK, TRACKED];
  expect([...run].sort()).toEqual([...runbookCurls()].sort());
});

describe('as written (no ADMIN_TOKEN configured: loopback may change things)', () => {
  let db: TestDatabase;
  let t: Tooling;
  let puuid: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTooling(db, { adminToken: null });
    puuid = (t.simulator.world.trackable(1, 'euw1')[0] as { puuid: string }).puuid;
  });
  afterAll(async () => {
    await t?.stop();
    await db?.drop();
  });

  test('GET /api/v1/jobs lists the job ids, then POST …/{job_id}/trigger returns the execution id', async () => {
    const jobs = await curl(LIST_JOBS, t.port);
    expect(jobs.status).toBe(200);
    expect(jobs.headers['content-type']).toMatch(/^application\/json/);
    const types = jobs.json.jobs.map((j: Loose) => j.jobType).sort();
    expect(types).toEqual(['execution_retention', 'player_analyzer', 'tracked_player_updater']);
    const analyzer = jobs.json.jobs.find((j: Loose) => j.jobType === 'player_analyzer');
    await t.setSleepy('player_analyzer', { sleep_ms: 100, steps: 2 });

    const triggered = await curl(TRIGGER, t.port, { job_id: String(analyzer.databaseId) });
    expect(triggered.status).toBe(202);
    expect(triggered.json).toMatchObject({
      executionId: expect.any(Number),
      execution: { jobType: 'player_analyzer', trigger: 'manual' },
    });
    const row = await executionWithStatus(db, triggered.json.executionId, 'success', 10_000, 'run');
    expect(row.job_config_id).toBe(analyzer.databaseId);
    expect(row.records_created).toBe(2);

    // The type works in place of the id too.
    const byType = await curl(TRIGGER, t.port, { job_id: 'player_analyzer' });
    expect(byType.status).toBe(202);
    await executionWithStatus(db, byType.json.executionId, 'success', 10_000, 'second run');
  });

  test('GET /api/v1/jobs/status/overview', async () => {
    const overview = await curl(OVERVIEW, t.port);
    expect(overview.status).toBe(200);
    expect(overview.json.scheduler).toEqual({ enabled: false, workerId: t.engine.workerId });
    const analyzer = overview.json.jobs.find((j: Loose) => j.jobType === 'player_analyzer');
    expect(analyzer.lastRun).toMatchObject({ status: 'success', trigger: 'manual' });
    expect(overview.json.runningExecutions).toEqual([]);
  });

  test('track, list tracked and untrack a player; the runbook example PUUID is refused', async () => {
    const tracked = await curl(TRACK, t.port, { puuid });
    expect(tracked.status).toBe(200);
    expect(tracked.json.player).toMatchObject({ puuid, isTracked: true, platform: 'euw1' });
    const rows = await db.sql('SELECT is_tracked FROM players WHERE puuid = $1', [puuid]);
    expect(rows.rows).toEqual([{ is_tracked: true }]);

    const list = await curl(TRACKED, t.port);
    expect(list.status).toBe(200);
    expect(list.json.players.map((p: Loose) => p.puuid)).toEqual([puuid]);

    const before = await snapshot(db);
    const example = await curl(TRACK_EXAMPLE, t.port);
    expect(example.status).toBe(400);
    expect(example.json.error).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.any(String),
    });
    expect(await snapshot(db)).toEqual(before);

    const untracked = await curl(UNTRACK, t.port, { puuid });
    expect(untracked.status).toBe(200);
    expect(untracked.json.player).toMatchObject({ puuid, isTracked: false });
    expect((await curl(TRACKED, t.port)).json.players).toEqual([]);
    const after = await db.sql('SELECT is_tracked FROM players WHERE puuid = $1', [puuid]);
    expect(after.rows).toEqual([{ is_tracked: false }]);
  });
});
