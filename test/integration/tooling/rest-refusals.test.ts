import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { curl, RUNBOOK } from '../../helpers/runbook-curl.ts';
import { snapshot, startTooling, TOKEN, type Tooling } from './harness.ts';

// With ADMIN_TOKEN set, the runbook's commands as written (no header) are refused; so are a wrong
// token, unknown ids, the tracking limit and a spent mutation budget. None changes the database.
const BEARER = ['-H', `Authorization: Bearer ${TOKEN}`];
const WRONG = ['-H', 'Authorization: Bearer not-the-token'];
const UNKNOWN_PUUID = 'Z'.repeat(78);

describe('refusals', () => {
  let db: TestDatabase;
  let t: Tooling;
  let players: string[];
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTooling(db, { maxTrackedPlayers: 1 });
    players = t.simulator.world.trackable(2, 'euw1').map((p) => p.puuid);
  });
  afterAll(async () => {
    await t?.stop();
    await db?.drop();
  });

  const refused = async (
    command: string,
    values: Record<string, string>,
    extra: string[],
    status: number,
    code: string,
  ) => {
    const before = await snapshot(db);
    const result = await curl(command, t.port, values, extra);
    expect({ status: result.status, code: result.json?.error?.code }).toEqual({ status, code });
    expect(result.json.error.message).toEqual(expect.any(String));
    expect(await snapshot(db)).toEqual(before);
    return result;
  };

  test('no token: every change is 401 UNAUTHENTICATED; reads still answer', async () => {
    const jobId = String(await t.jobId('player_analyzer'));
    const [first] = players as [string];
    const noToken = await refused(RUNBOOK.trigger(), { job_id: jobId }, [], 401, 'UNAUTHENTICATED');
    expect(noToken.json.error.message).toMatch(/Authorization: Bearer/);
    // A 401 names the scheme it asks for.
    expect(noToken.headers['www-authenticate']).toBe('Bearer');
    await refused(RUNBOOK.track(), { puuid: first }, [], 401, 'UNAUTHENTICATED');
    await refused(RUNBOOK.untrack(), { puuid: first }, [], 401, 'UNAUTHENTICATED');
    for (const read of [RUNBOOK.listJobs(), RUNBOOK.overview(), RUNBOOK.tracked()]) {
      expect((await curl(read, t.port)).status).toBe(200);
    }
  });

  test('a wrong token: 401', async () => {
    const jobId = String(await t.jobId('player_analyzer'));
    const wrong = await refused(
      RUNBOOK.trigger(),
      { job_id: jobId },
      WRONG,
      401,
      'UNAUTHENTICATED',
    );
    expect(wrong.json.error.message).toMatch(/not valid/);
    expect(wrong.headers['www-authenticate']).toBe('Bearer');
    await refused(RUNBOOK.track(), { puuid: players[0] as string }, WRONG, 401, 'UNAUTHENTICATED');
  });

  test('unknown ids: 404 NOT_FOUND', async () => {
    await refused(RUNBOOK.trigger(), { job_id: '9999' }, BEARER, 404, 'NOT_FOUND');
    await refused(RUNBOOK.trigger(), { job_id: 'no_such_job' }, BEARER, 404, 'NOT_FOUND');
    await refused(RUNBOOK.track(), { puuid: UNKNOWN_PUUID }, BEARER, 404, 'NOT_FOUND');
    await refused(RUNBOOK.untrack(), { puuid: UNKNOWN_PUUID }, BEARER, 404, 'NOT_FOUND');
  });

  test('the tracking limit: 409 LIMIT_REACHED', async () => {
    const [first, second] = players as [string, string];
    expect((await curl(RUNBOOK.track(), t.port, { puuid: first }, BEARER)).status).toBe(200);
    const limit = await refused(RUNBOOK.track(), { puuid: second }, BEARER, 409, 'LIMIT_REACHED');
    expect(limit.json.error.message).toMatch(/1/);
    const tracked = await db.sql('SELECT puuid FROM players WHERE is_tracked');
    expect(tracked.rows).toEqual([{ puuid: first }]);
  });
});

describe('a spent mutation budget', () => {
  let db: TestDatabase;
  let t: Tooling;
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTooling(db, { throttle: { burst: 2, perMinute: 1 } });
  });
  afterAll(async () => {
    await t?.stop();
    await db?.drop();
  });

  test('is 429 RATE_LIMITED with Retry-After, and changes nothing', async () => {
    const puuid = 'Y'.repeat(78);
    for (let i = 0; i < 2; i++) {
      const spent = await curl(RUNBOOK.untrack(), t.port, { puuid }, BEARER);
      expect(spent.status).toBe(404);
    }
    const before = await snapshot(db);
    const jobId = String(await t.jobId('player_analyzer'));
    const limited = await curl(RUNBOOK.trigger(), t.port, { job_id: jobId }, BEARER);
    expect(limited.status).toBe(429);
    expect(limited.json.error).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfter: expect.any(Number),
    });
    expect(Number(limited.headers['retry-after'])).toBe(limited.json.error.retryAfter);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await snapshot(db)).toEqual(before);
  });
});
