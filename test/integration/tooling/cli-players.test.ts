import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { executionWithStatus } from '../jobs/engine-harness.ts';
import { jsonOf, type Loose, runCli } from './cli.ts';
import { snapshot, startTooling, TOKEN, type Tooling } from './harness.ts';

let db: TestDatabase;
let t: Tooling;
let env: Record<string, string>;
let players: { puuid: string; gameName: string; tagLine: string }[];
beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTooling(db, { maxTrackedPlayers: 2 });
  env = { RIFTWATCH_URL: t.base, ADMIN_TOKEN: TOKEN };
  players = t.simulator.world.trackable(3, 'euw1');
});
afterAll(async () => {
  await t?.stop();
  await db?.drop();
});

const cli = (...args: string[]) => runCli(args, env);
const tracked = async () =>
  (await db.sql('SELECT puuid FROM players WHERE is_tracked ORDER BY puuid')).rows.map(
    (r) => r.puuid,
  );

describe('players', () => {
  test('track by PUUID and by Riot ID with --platform; list --tracked', async () => {
    const [a, b] = players as [(typeof players)[0], (typeof players)[0]];
    const byPuuid = await cli('--json', 'players', 'track', a.puuid);
    expect(byPuuid.code).toBe(0);
    expect(jsonOf(byPuuid).player).toMatchObject({
      puuid: a.puuid,
      isTracked: true,
      platform: 'euw1',
    });
    const byName = await cli(
      'players',
      'track',
      `${b.gameName}#${b.tagLine}`,
      '--platform',
      'euw1',
    );
    expect(byName.code).toBe(0);
    expect(byName.stdout).toContain(`Tracking ${b.gameName}#${b.tagLine} (euw1)`);
    expect(await tracked()).toEqual([a.puuid, b.puuid].sort());

    const list = jsonOf(await cli('--json', 'players', 'list', '--tracked'));
    expect(list.players.map((p: Loose) => p.puuid).sort()).toEqual([a.puuid, b.puuid].sort());
    expect(list).toMatchObject({ totalCount: 2, nextCursor: null });
    const human = await cli('players', 'list', '--tracked');
    expect(human.stdout).toContain(a.puuid);
    expect(human.stdout).toMatch(/RIOT ID.*PLATFORM.*RANK/);
    expect(jsonOf(await cli('--json', 'players', 'list', '--flagged')).players).toEqual([]);
  });

  test('refusals change nothing: limit 5, not found 3, invalid input 2, no token 4', async () => {
    const before = await snapshot(db);
    const c = players[2] as (typeof players)[0];
    const limit = await cli('--json', 'players', 'track', c.puuid);
    expect({ code: limit.code, error: jsonOf(limit).error.code }).toEqual({
      code: 5,
      error: 'LIMIT_REACHED',
    });
    const unknown = await cli('players', 'untrack', 'X'.repeat(78));
    expect(unknown.code).toBe(3);
    const noPlatform = await cli('--json', 'players', 'track', 'Someone#EUW');
    expect({ code: noPlatform.code, error: jsonOf(noPlatform).error.code }).toEqual({
      code: 2,
      error: 'INVALID_INPUT',
    });
    expect(jsonOf(noPlatform).error.issues[0].message).toMatch(/platform/);
    expect((await cli('players', 'track', 'short')).code).toBe(2);
    const noToken = await runCli(['players', 'untrack', c.puuid], { RIFTWATCH_URL: t.base });
    expect(noToken.code).toBe(4);
    expect(await snapshot(db)).toEqual(before);
  });

  test('untrack', async () => {
    const [a] = players as [(typeof players)[0]];
    const r = await cli('players', 'untrack', a.puuid);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No longer tracking');
    expect(await tracked()).not.toContain(a.puuid);
  });

  test('list: pages with --after; each filter either way (--no-tracked, --no-flagged, --analyzed)', async () => {
    const { rows } = await db.sql('SELECT puuid, is_tracked, is_analyzed, is_flagged FROM players');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const puuids = (filter: (r: Loose) => boolean) =>
      rows
        .filter(filter)
        .map((r) => r.puuid)
        .sort();
    const first = await cli('players', 'list', '--limit', '1');
    const cursor = /; next page: --after (\S+)\n$/.exec(first.stdout)?.[1] as string;
    expect(first.stdout).toContain(`1 of ${rows.length}; next page: --after ${cursor}`);
    const pages = [jsonOf(await cli('--json', 'players', 'list', '--limit', '1'))];
    pages.push(jsonOf(await cli('--json', 'players', 'list', '--limit', '1', '--after', cursor)));
    expect(pages[1].players).toHaveLength(1);
    expect(pages[1].players[0].puuid).not.toBe(pages[0].players[0].puuid);
    const listed = async (...filters: string[]) =>
      jsonOf(await cli('--json', 'players', 'list', ...filters))
        .players.map((p: Loose) => p.puuid)
        .sort();
    expect(await listed()).toEqual(puuids(() => true));
    expect(await listed('--no-tracked')).toEqual(puuids((r) => !r.is_tracked));
    expect(await listed('--no-tracked')).not.toEqual([]);
    expect(await listed('--no-flagged')).toEqual(puuids((r) => !r.is_flagged));
    expect(await listed('--analyzed')).toEqual(puuids((r) => r.is_analyzed));
    expect(await listed('--no-analyzed')).toEqual(puuids((r) => !r.is_analyzed));
    expect(await listed('--tracked', '--no-analyzed')).toEqual(
      puuids((r) => r.is_tracked && !r.is_analyzed),
    );
  });
});

describe('executions and status', () => {
  let ids: number[] = [];
  beforeAll(async () => {
    await t.setSleepy('player_analyzer', { steps: 2 });
    for (let i = 0; i < 3; i++) {
      const id = jsonOf(
        await runCli(['--json', 'jobs', 'trigger', 'player_analyzer'], env),
      ).executionId;
      await executionWithStatus(db, id, 'success', 10_000, 'run');
      ids = [...ids, id];
    }
  });

  test('executions list with filters; show one; unknown is exit 3', async () => {
    const list = jsonOf(
      await cli(
        '--json',
        'executions',
        'list',
        '--job',
        'player_analyzer',
        '--status',
        'success',
        '--since',
        '1h',
        '--limit',
        '2',
      ),
    );
    expect(list.executions.map((e: Loose) => e.databaseId)).toEqual([ids[2], ids[1]]);
    expect(list).toMatchObject({ totalCount: 3, nextCursor: expect.any(String) });
    // The next page from its cursor; a status in capitals is the same status.
    const rest = jsonOf(
      await cli(
        '--json',
        'executions',
        'list',
        '--status',
        'SUCCESS',
        '--limit',
        '2',
        '--after',
        list.nextCursor,
      ),
    );
    expect(rest.executions.map((e: Loose) => e.databaseId)).toEqual([ids[0]]);
    expect(rest.nextCursor).toBeNull();
    const human = await cli('executions', 'list');
    expect(human.stdout).toMatch(/ID.*JOB.*STATUS/);
    expect(human.stdout).toContain('3 of 3');
    const paged = await cli('executions', 'list', '--limit', '2');
    expect(paged.stdout).toContain(`2 of 3; next page: --after ${list.nextCursor}`);
    const show = jsonOf(await cli('--json', 'executions', 'show', String(ids[0])));
    expect(show.execution).toMatchObject({
      databaseId: ids[0],
      status: 'success',
      recordsCreated: 2,
      log: [],
    });
    expect((await cli('executions', 'show', String(ids[0]))).stdout).toMatch(
      /records created\s*│\s*2/,
    );
    expect((await cli('executions', 'show', '777777')).code).toBe(3);
    for (const job of ['999', 'no_such_job']) {
      const unknown = await cli('--json', 'executions', 'list', '--job', job);
      expect({ job, code: unknown.code, error: jsonOf(unknown).error }).toEqual({
        job,
        code: 3,
        error: { code: 'NOT_FOUND', message: `No job with id, type or name "${job}"` },
      });
    }
    expect((await cli('executions', 'list', '--status', 'finished')).code).toBe(2);
    expect((await cli('executions', 'list', '--since', 'last week')).code).toBe(2);
    // Date.parse would read these: in local time, or with what follows the date as a day.
    for (const since of ['2026-11-30 10:00 AM', '2026-11-30 decade', '2026-01-01junk']) {
      const r = await cli('--json', 'executions', 'list', '--since', since);
      expect({ since, code: r.code, error: jsonOf(r).error }).toEqual({
        since,
        code: 2,
        error: { code: 'USAGE', message: expect.stringMatching(/^Invalid --since "/) },
      });
    }
    expect((await cli('jobs', 'stats', '--since', '2026-01-01T00:00:00+0200')).code).toBe(2);
  });

  test('status: scheduler, jobs, running executions, rate limits', async () => {
    const json = jsonOf(await cli('--json', 'status'));
    const rest = await (await fetch(`${t.base}/api/v1/jobs/status/overview`)).json();
    const timeless = (v: unknown) =>
      JSON.parse(JSON.stringify(v), (k, x) => (k === 'at' ? null : x));
    expect(timeless(json)).toEqual(timeless(rest));
    expect(json.rateLimits.map((r: Loose) => r.routing).sort()).toEqual(['europe', 'euw1']);
    const human = await cli('status');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Scheduler disabled/);
    expect(human.stdout).toContain('No execution running.');
    expect(human.stdout).toMatch(/euw1\s*│\s*app/);
  });
});
