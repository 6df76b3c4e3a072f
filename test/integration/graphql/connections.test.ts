import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { errorCode, type Loose, startGraphQL } from './harness.ts';
import { puuidOf } from './seed.ts';

let db: TestDatabase;
let g: Awaited<ReturnType<typeof startGraphQL>>;
beforeAll(async () => {
  db = await createTestDatabase();
  for (const letter of 'ABCDEF') {
    await db.sql(`INSERT INTO players (puuid, platform) VALUES ($1, 'euw1')`, [puuidOf(letter)]);
  }
  await db.sql(`INSERT INTO job_executions (job_config_id, status, trigger)
    SELECT 1, 'success', 'manual' FROM generate_series(1, 6)`);
  g = await startGraphQL(db, { schedulerEnabled: false });
});
afterAll(async () => {
  await g?.stop();
  await db?.drop();
});

type Page = { first?: number; last?: number; after?: string; before?: string };

/**
 * `players` builds its pages itself (cursors written only when read); `jobExecutions` is
 * plugin-prisma's own connection. Both must page as Relay cursor connections do, checked against
 * the same model of every page.
 */
const CONNECTIONS = [
  { field: 'players', key: 'puuid' },
  { field: 'jobExecutions', key: 'databaseId' },
] as const;

describe.each(CONNECTIONS)('$field', ({ field, key }) => {
  const read = async (page: Page) => {
    const r = await g.gql(
      `query($first: Int, $last: Int, $after: String, $before: String) {
        c: ${field}(first: $first, last: $last, after: $after, before: $before) {
          edges { cursor node { ${key} } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
      page,
    );
    return r;
  };

  test('every page, forwards and backwards from every cursor, as the model says', async () => {
    const all = (await read({ first: 100 })).data?.c;
    const rows: { key: unknown; cursor: string }[] = all.edges.map((e: Loose) => ({
      key: e.node[key],
      cursor: e.cursor,
    }));
    expect(rows).toHaveLength(6);
    const expected = (from: number, to: number, page: Page) => {
      const slice = rows.slice(Math.max(from, 0), to);
      return {
        edges: slice.map((r) => ({ cursor: r.cursor, node: { [key]: r.key } })),
        pageInfo: {
          hasNextPage: page.before !== undefined || (page.last === undefined && to < rows.length),
          hasPreviousPage: page.after !== undefined || (page.last !== undefined && from > 0),
          startCursor: slice[0]?.cursor ?? null,
          endCursor: slice.at(-1)?.cursor ?? null,
        },
      };
    };
    let checked = 0;
    for (const n of [0, 1, 2, 5, 6]) {
      const starts: (number | null)[] = [null, ...rows.keys()];
      for (const at of starts) {
        const after = at === null ? {} : { after: rows[at]?.cursor };
        const start = at === null ? 0 : at + 1;
        const forward = { first: n, ...after };
        expect((await read(forward)).data?.c, JSON.stringify(forward)).toEqual(
          expected(start, start + n, forward),
        );
        const before = at === null ? {} : { before: rows[at]?.cursor };
        const end = at === null ? rows.length : at;
        const backward = { last: n, ...before };
        expect((await read(backward)).data?.c, JSON.stringify(backward)).toEqual(
          expected(end - n, end, backward),
        );
        checked += 2;
      }
    }
    expect(checked).toBe(70);
  });

  test('mixed directions are refused with INVALID_INPUT', async () => {
    const cursor = (await read({ first: 1 })).data?.c.pageInfo.endCursor;
    for (const page of [
      { first: 1, before: cursor },
      { last: 1, after: cursor },
      { after: cursor, before: cursor },
    ]) {
      const r = await read(page);
      expect(errorCode(r), JSON.stringify(page)).toBe('INVALID_INPUT');
      expect(r.data?.c ?? null).toBeNull();
    }
  });
});

test("players' cursors keep plugin-prisma's format, so cursors clients hold stay valid", async () => {
  const legacy = Buffer.from(`GPC:S:${puuidOf('B')}`).toString('base64');
  const r = await g.gql(
    `query($after: String) { players(first: 1, after: $after) { edges { cursor node { puuid } } } }`,
    { after: legacy },
  );
  expect(r.data?.players.edges).toEqual([
    {
      cursor: Buffer.from(`GPC:S:${puuidOf('C')}`).toString('base64'),
      node: { puuid: puuidOf('C') },
    },
  ]);
});

test('players { totalCount } alone counts without reading a page', async () => {
  const r = await g.gql('{ players(platform: "euw1") { totalCount } }');
  expect(r).toEqual({ data: { players: { totalCount: 6 } } });
});

test('a cursor whose player has left the filter still pages on from where it was', async () => {
  const cursor = Buffer.from(`GPC:S:${puuidOf('C')}`).toString('base64');
  const read = async (filter: string, node: string, page: Page) => {
    const r = await g.gql(
      `query($first: Int, $last: Int, $after: String, $before: String) {
        players(${filter}, first: $first, last: $last, after: $after, before: $before) {
          edges { node { ${node} } } } }`,
      page,
    );
    expect(r.errors).toBeUndefined();
    return r.data?.players.edges.map((e: Loose) => e.node.puuid);
  };
  await db.sql(`UPDATE players SET is_tracked = true, riot_id = 'Same#EUW'`);
  // C ended the page a client read, then was untracked and renamed.
  await db.sql(`UPDATE players SET is_tracked = false, riot_id = 'Other#EUW' WHERE puuid = $1`, [
    puuidOf('C'),
  ]);
  try {
    for (const filter of ['tracked: true', 'search: "same"']) {
      for (const node of ['puuid', 'puuid accountStatusHistory { status }']) {
        const what = `${filter} { ${node} }`;
        expect(await read(filter, node, { first: 2, after: cursor }), what).toEqual([
          puuidOf('D'),
          puuidOf('E'),
        ]);
        expect(await read(filter, node, { last: 2, before: cursor }), what).toEqual([
          puuidOf('A'),
          puuidOf('B'),
        ]);
      }
    }
  } finally {
    await db.sql('UPDATE players SET is_tracked = false, riot_id = NULL');
  }
});

test('first with last is refused on the connections built here, rather than giving the last rows', async () => {
  await db.sql(
    `INSERT INTO matches (match_id, platform, queue_id, game_creation, game_start, game_duration_seconds)
     VALUES ('EUW1_1', 'euw1', 420, now(), now(), 1800)`,
  );
  await db.sql(
    `INSERT INTO match_participants (match_id, puuid, participant_id, team_id, win, champion_id,
       champion_name, kills, deaths, assists, total_minions_killed, neutral_minions_killed,
       gold_earned, total_damage_dealt_to_champions, vision_score, champ_level)
     VALUES ('EUW1_1', $1, 1, 100, true, 1, 'Annie', 1, 1, 1, 1, 1, 1, 1, 1, 1)`,
    [puuidOf('A')],
  );
  for (const query of [
    '{ c: players(first: 2, last: 1) { edges { node { puuid } } } }',
    `{ player(puuid: "${puuidOf('A')}") { c: matches(first: 2, last: 1) { edges { node { kills } } } } }`,
  ]) {
    const r = await g.gql(query);
    expect(errorCode(r), query).toBe('INVALID_INPUT');
    expect(r.errors?.[0]?.message, query).toMatch(/"first" and "last"/);
  }
});
