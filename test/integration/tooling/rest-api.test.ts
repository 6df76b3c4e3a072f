import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { executionWithStatus } from '../jobs/engine-harness.ts';
import { type Loose, restCall, snapshot, startTooling, type Tooling } from './harness.ts';

let db: TestDatabase;
let t: Tooling;
let runs: number[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTooling(db);
  await t.setSleepy('player_analyzer', { sleep_ms: 20, steps: 2 });
  await t.setSleepy('tracked_player_updater', { steps: 1, fail_with: 'boom' });
  for (const type of ['player_analyzer', 'tracked_player_updater', 'player_analyzer']) {
    const r = await call('POST', `/api/v1/jobs/${type}/trigger`);
    await executionWithStatus(
      db,
      r.json.executionId,
      type === 'player_analyzer' ? 'success' : 'failed',
      10_000,
      type,
    );
    runs = [...runs, r.json.executionId];
  }
});
afterAll(async () => {
  await t?.stop();
  await db?.drop();
});

const call = (method: string, path: string, body?: unknown, token?: string | null) =>
  restCall(t.base, method, path, body, token);

describe('executions and stats', () => {
  test('list, filtered by job (type or id), status, since and limit, newest first', async () => {
    const all = await call('GET', '/api/v1/executions');
    expect(all.status).toBe(200);
    expect(all.json.executions.map((e: Loose) => e.databaseId)).toEqual([...runs].reverse());
    expect(all.json).toMatchObject({ totalCount: 3, nextCursor: null });

    const analyzer = await call('GET', '/api/v1/executions?job=player_analyzer&status=success');
    expect(analyzer.json.executions.map((e: Loose) => e.databaseId)).toEqual([runs[2], runs[0]]);
    const id = await t.jobId('tracked_player_updater');
    const failed = await call('GET', `/api/v1/executions?job=${id}&status=failed&since=1h`);
    expect(failed.json.executions).toHaveLength(1);
    expect(failed.json.executions[0]).toMatchObject({ status: 'failed', errorMessage: 'boom' });
    const future = await call('GET', '/api/v1/executions?since=2999-01-01T00:00:00Z');
    expect(future.json).toMatchObject({ executions: [], totalCount: 0 });

    const page = await call('GET', '/api/v1/executions?limit=2');
    expect(page.json.executions).toHaveLength(2);
    const next = await call('GET', `/api/v1/executions?limit=2&after=${page.json.nextCursor}`);
    expect(next.json.executions.map((e: Loose) => e.databaseId)).toEqual([runs[0]]);
  });

  test('one execution, with counters and progress; unknown: 404', async () => {
    const one = await call('GET', `/api/v1/executions/${runs[0]}`);
    expect(one.status).toBe(200);
    expect(one.json.execution).toMatchObject({
      databaseId: runs[0],
      status: 'success',
      recordsCreated: 2,
      recordsUpdated: 4,
      progress: { phase: 'steps', processed: 2, total: 2 },
      log: [],
    });
    const missing = await call('GET', '/api/v1/executions/987654');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('NOT_FOUND');
  });

  test("stats since a moment: the runbook's success rate and averages", async () => {
    const stats = await call('GET', '/api/v1/jobs/stats?since=24h');
    expect(stats.status).toBe(200);
    const byType = Object.fromEntries(stats.json.stats.map((s: Loose) => [s.jobType, s]));
    expect(byType.player_analyzer).toMatchObject({
      totalExecutions: 2,
      successful: 2,
      successRate: 1,
    });
    expect(byType.tracked_player_updater).toMatchObject({ failed: 1, successRate: 0 });
  });

  test("the README's URL templates as written: an empty parameter is an absent one", async () => {
    const all = await call('GET', '/api/v1/executions');
    const blank = await call('GET', '/api/v1/executions?job=&status=&since=&limit=&after=');
    expect({ status: blank.status, json: blank.json }).toEqual({ status: 200, json: all.json });
    const players = await call(
      'GET',
      '/api/v1/players?tracked=&flagged=&analyzed=&platform=&search=&limit=&after=',
    );
    expect(players.status).toBe(200);
    expect(players.json).toEqual((await call('GET', '/api/v1/players')).json);
    const stats = await call('GET', '/api/v1/jobs/stats?since=');
    expect(stats.status).toBe(200);
    expect(stats.json.stats).toEqual((await call('GET', '/api/v1/jobs/stats')).json.stats);
  });

  test('a parameter given twice is 400 INVALID_INPUT naming it, not one value picked', async () => {
    for (const [path, name] of [
      ['/api/v1/executions?limit=5&limit=6', 'limit'],
      ['/api/v1/executions?status=failed&status=success', 'status'],
      ['/api/v1/players?tracked=true&tracked=false', 'tracked'],
      ['/api/v1/jobs/stats?since=1h&since=24h', 'since'],
    ] as const) {
      const r = await call('GET', path);
      expect({ path, status: r.status, code: r.json.error.code }).toEqual({
        path,
        status: 400,
        code: 'INVALID_INPUT',
      });
      expect(r.json.error.message).toBe(`Invalid ${name}: given more than once`);
    }
  });

  test('a parameter the path does not take is 400 INVALID_INPUT naming it, not ignored', async () => {
    const before = await snapshot(db);
    for (const [method, path, message] of [
      ['GET', '/api/v1/jobs/stats?SINCE=1h', 'Unknown query parameter "SINCE": accepted are since'],
      [
        'GET',
        '/api/v1/executions?stauts=failed',
        'Unknown query parameter "stauts": accepted are job, status, since, limit, after',
      ],
      ['GET', '/api/v1/jobs?limit=5', 'Unknown query parameter "limit": this path takes none'],
      [
        'POST',
        '/api/v1/jobs/player_analyzer/trigger?wait=true',
        'Unknown query parameter "wait": this path takes none',
      ],
    ] as const) {
      const r = await call(method, path);
      expect({ path, status: r.status, error: r.json.error }).toEqual({
        path,
        status: 400,
        error: { code: 'INVALID_INPUT', message },
      });
    }
    expect(await snapshot(db)).toEqual(before);
  });

  test('bad parameters are 400 INVALID_INPUT', async () => {
    for (const path of [
      '/api/v1/executions?limit=0',
      '/api/v1/executions?limit=abc',
      '/api/v1/executions?status=done',
      '/api/v1/executions?since=yesterday',
      '/api/v1/jobs/stats?since=x',
      '/api/v1/players?tracked=maybe',
      '/api/v1/executions/%E0%A4%A',
    ]) {
      const r = await call('GET', path);
      expect({ path, status: r.status, code: r.json.error.code }).toEqual({
        path,
        status: 400,
        code: 'INVALID_INPUT',
      });
    }
  });
});

describe('jobs, players and the router', () => {
  test('configure a job with PATCH (merged config), then read it by id and by type', async () => {
    const id = await t.jobId('execution_retention');
    const r = await call('PATCH', `/api/v1/jobs/${id}`, { isActive: false, schedule: '300' });
    expect(r.status).toBe(200);
    expect(r.json.job).toMatchObject({
      isActive: false,
      schedule: '300',
      scheduleDescription: 'every 300 s',
    });
    const row = await db.sql('SELECT is_active, schedule FROM job_configurations WHERE id = $1', [
      id,
    ]);
    expect(row.rows).toEqual([{ is_active: false, schedule: '300' }]);
    expect((await call('GET', '/api/v1/jobs/execution_retention')).json.job.databaseId).toBe(id);
    expect((await call('GET', `/api/v1/jobs/${id}`)).json.job.isActive).toBe(false);

    const before = await snapshot(db);
    const bad = await call('PATCH', `/api/v1/jobs/${id}`, { schedule: 'every full moon' });
    expect(bad.status).toBe(400);
    expect((await call('PATCH', `/api/v1/jobs/${id}`, '{not json')).status).toBe(400);
    expect((await call('PATCH', `/api/v1/jobs/${id}`, [1])).status).toBe(400);
    expect((await call('PATCH', `/api/v1/jobs/${id}`, { isActive: true }, null)).status).toBe(401);
    expect(await snapshot(db)).toEqual(before);
  });

  test('PATCH mode is "merge" or "replace" in any case; anything else is refused saying so', async () => {
    const id = await t.jobId('player_analyzer');
    await t.setSleepy('player_analyzer', { steps: 2, sleep_ms: 5 });
    const replaced = await call('PATCH', `/api/v1/jobs/${id}`, {
      config: { steps: 3 },
      mode: 'Replace',
    });
    expect({ status: replaced.status, config: replaced.json.job.config }).toEqual({
      status: 200,
      config: { steps: 3 },
    });
    const before = await snapshot(db);
    for (const mode of ['bogus', 5, { merge: true }]) {
      const r = await call('PATCH', `/api/v1/jobs/${id}`, { config: { steps: 4 }, mode });
      expect({ status: r.status, error: r.json.error }).toEqual({
        status: 400,
        error: {
          code: 'INVALID_INPUT',
          message: `Invalid mode ${JSON.stringify(mode)}: expected "merge" or "replace"`,
        },
      });
    }
    expect(await snapshot(db)).toEqual(before);
  });

  test('cancel a running execution; an ended one is 409 CONFLICT', async () => {
    await t.setSleepy('player_analyzer', { sleep_ms: 5000, steps: 50 });
    const started = await call('POST', '/api/v1/jobs/player_analyzer/trigger');
    const id = started.json.executionId;
    await executionWithStatus(db, id, 'running', 10_000, 'running');
    const cancelled = await call('POST', `/api/v1/executions/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({
      previousStatus: 'running',
      execution: { status: 'cancelled' },
    });
    const again = await call('POST', `/api/v1/executions/${id}/cancel`);
    expect({ status: again.status, code: again.json.error.code }).toEqual({
      status: 409,
      code: 'CONFLICT',
    });
  });

  test('players: filtered list and one player; unknown: 404', async () => {
    const puuid = (t.simulator.world.trackable(1, 'kr')[0] as { puuid: string }).puuid;
    const tracked = await call('POST', `/api/v1/players/${puuid}/track?platform=kr`);
    expect(tracked.json.player).toMatchObject({ puuid, platform: 'kr', isTracked: true });
    const list = await call('GET', '/api/v1/players?tracked=true&platform=kr&limit=5');
    expect(list.json).toMatchObject({ totalCount: 1, nextCursor: null });
    expect((await call('GET', `/api/v1/players/${puuid}`)).json.player.puuid).toBe(puuid);
    expect((await call('GET', `/api/v1/players/${'Q'.repeat(78)}`)).status).toBe(404);
  });

  test('an empty ?platform= is absent: the body names the platform', async () => {
    const puuid = (t.simulator.world.trackable(2, 'kr')[1] as { puuid: string }).puuid;
    const r = await call('POST', `/api/v1/players/${puuid}/track?platform=`, { platform: 'kr' });
    expect({ status: r.status, player: r.json.player }).toMatchObject({
      status: 200,
      player: { puuid, platform: 'kr', isTracked: true },
    });
  });

  test('unknown paths are 404, other methods 405 with Allow', async () => {
    const unknown = await call('GET', '/api/v1/nothing');
    expect({ status: unknown.status, code: unknown.json.error.code }).toEqual({
      status: 404,
      code: 'NOT_FOUND',
    });
    // Outside the API too: the same error body.
    const elsewhere = await call('GET', '/nothing-here');
    expect({ status: elsewhere.status, error: elsewhere.json.error }).toEqual({
      status: 404,
      error: { code: 'NOT_FOUND', message: 'Nothing at /nothing-here' },
    });
    const wrong = await call('PUT', '/api/v1/jobs');
    expect(wrong.status).toBe(405);
    // HEAD is answered as GET is: it is allowed wherever GET is.
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
    expect((await call('PUT', '/api/v1/jobs/1')).headers.get('allow')).toBe('GET, HEAD, PATCH');
    expect((await call('GET', '/api/v1/players/x/track')).headers.get('allow')).toBe(
      'POST, DELETE',
    );
  });
});

describe('a process whose job engine has stopped', () => {
  test('a trigger is 503 UNAVAILABLE and queues nothing', async () => {
    const stopped = await startTooling(db);
    try {
      await stopped.engine.stop();
      const before = await snapshot(db);
      const r = await restCall(stopped.base, 'POST', '/api/v1/jobs/player_analyzer/trigger');
      expect(r.status).toBe(503);
      expect(r.json).toMatchObject({
        error: { code: 'UNAVAILABLE', message: expect.stringMatching(/riftwatch is stopping/) },
      });
      expect(await snapshot(db)).toEqual(before);
    } finally {
      await stopped.stop();
    }
  });
});
