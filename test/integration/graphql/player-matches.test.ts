import { formatPrismaCursor } from '@pothos/plugin-prisma';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Loose, startCountingGraphQL } from './harness.ts';

/**
 * Heavy has 300 stored games, one an hour back from now, except that games 100 and 101 started
 * at the same time (the match id breaks the tie); Light plays in Heavy's games 1–5, with kills
 * of its own. Pages through `Player.matches` must come from the index, one page at a time.
 */
const HEAVY = 'H'.repeat(78);
const LIGHT = 'L'.repeat(78);
const GAMES = 300;

const SEED = `
  INSERT INTO players (puuid, riot_id, platform) VALUES
    ('${HEAVY}', 'Heavy#EUW', 'euw1'), ('${LIGHT}', 'Light#EUW', 'euw1');
  INSERT INTO matches (match_id, platform, queue_id, game_creation, game_start, game_duration_seconds)
  SELECT 'EUW1_' || lpad(j::text, 4, '0'), 'euw1', 420, now(),
    now() - (CASE WHEN j = 101 THEN 100 ELSE j END) * interval '1 hour', 1800
  FROM generate_series(1, ${GAMES}) j;
  INSERT INTO match_participants (match_id, puuid, participant_id, team_id, win, champion_id,
    champion_name, kills, deaths, assists, total_minions_killed, neutral_minions_killed,
    gold_earned, total_damage_dealt_to_champions, vision_score, champ_level, game_start)
  SELECT m.match_id, p.puuid, p.n, 100, true, 1, 'Annie', p.kills, 1, 1, 1, 1, 1, 1, 1, 1, m.game_start
  FROM matches m
  JOIN (VALUES ('${HEAVY}', 1, 7), ('${LIGHT}', 2, 3)) p(puuid, n, kills)
    ON p.puuid = '${HEAVY}' OR m.match_id <= 'EUW1_0005';`;

let t: Awaited<ReturnType<typeof startCountingGraphQL>>;
beforeAll(async () => {
  t = await startCountingGraphQL(SEED);
});
afterAll(async () => {
  await t?.stop();
});

/** Heavy's match ids newest first: game start descending, then match id descending. */
const expected = Array.from(
  { length: GAMES },
  (_, i) => `EUW1_${String(i + 1).padStart(4, '0')}`,
).sort((a, b) => {
  const hours = (id: string) => (id === 'EUW1_0101' ? 100 : Number(id.slice(5)));
  return hours(a) - hours(b) || b.localeCompare(a);
});

const PAGE = `query($p: String!, $first: Int, $last: Int, $after: String, $before: String) {
  player(puuid: $p) { matches(first: $first, last: $last, after: $after, before: $before) {
    edges { cursor node { kills match { matchId } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;

async function page(variables: Record<string, unknown>) {
  const before = { statements: t.counter.statements, rows: t.counter.rows };
  const response = await t.server.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: PAGE, variables: { p: HEAVY, ...variables } }),
  });
  const body = (await response.json()) as { data?: Loose; errors?: unknown };
  expect(body.errors).toBeUndefined();
  const matches = body.data.player.matches;
  return {
    ids: matches.edges.map((e: Loose) => e.node.match.matchId) as string[],
    edges: matches.edges as Loose[],
    pageInfo: matches.pageInfo,
    statements: t.counter.statements - before.statements,
    rows: t.counter.rows - before.rows,
  };
}

describe('Player.matches', () => {
  test('pages forwards through every game, newest first, ties by match id', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; ; i++) {
      const p = await page({ first: 40, after });
      expect(p.pageInfo.hasPreviousPage).toBe(i > 0);
      seen.push(...p.ids);
      if (!p.pageInfo.hasNextPage) break;
      expect(p.ids).toHaveLength(40);
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  test('pages backwards: the oldest games with last, the newer ones before a cursor', async () => {
    const oldest = await page({ last: 5 });
    expect(oldest.ids).toEqual(expected.slice(-5));
    expect(oldest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });

    const from = await page({ first: 1, after: null });
    const middle = (await page({ first: 100 })).pageInfo.endCursor;
    const newer = await page({ last: 10, before: middle });
    expect(newer.ids).toEqual(expected.slice(89, 99));
    expect(newer.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const newest = await page({ last: 10, before: from.edges[0].cursor });
    expect(newest.ids).toEqual([]);
  });

  test('a deep page reads that page, not every game after the cursor', async () => {
    const cursor = (await page({ first: 100 })).pageInfo.endCursor;
    // The tie: game 100 and 101 share a start; the page after 100 rows goes on with the other.
    const deep = await page({ first: 10, after: cursor });
    expect(deep.ids).toEqual(expected.slice(100, 110));
    // The page's keys (11), its rows (10) and their matches (10), plus the player's own row.
    expect(deep.rows).toBeLessThan(40);
    // The player, the page's keys, its rows and their matches.
    expect(deep.statements).toBe(4);
  });

  test("cursors are plugin-prisma's: a match id and a PUUID", async () => {
    const first = await page({ first: 3 });
    const [matchId] = first.ids.slice(-1) as [string];
    expect(first.pageInfo.endCursor).toBe(
      formatPrismaCursor({ matchId, puuid: HEAVY }, ['matchId', 'puuid']),
    );
    const missing = formatPrismaCursor({ matchId: 'EUW1_9999', puuid: HEAVY }, [
      'matchId',
      'puuid',
    ]);
    // A cursor to a game that is not stored: no page, as Prisma gives.
    expect((await page({ first: 3, after: missing })).ids).toEqual([]);
    // Nor from a game Heavy played, when the cursor is Light's line in it.
    const lights = formatPrismaCursor({ matchId: 'EUW1_0003', puuid: LIGHT }, ['matchId', 'puuid']);
    expect((await page({ first: 3, after: lights })).ids).toEqual([]);
    expect((await page({ last: 3, before: lights })).ids).toEqual([]);
  });

  test("each player on a page of players gets their own newest games, in one read of the pages' keys", async () => {
    const q = `{ players(first: 2) { edges { node { puuid
      matches(first: 3) { edges { node { kills match { matchId } } } pageInfo { hasNextPage } } } } } }`;
    const before = t.counter.rows;
    const response = await t.server.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: q }),
    });
    const body = (await response.json()) as { data?: Loose; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const byPlayer = Object.fromEntries(
      body.data.players.edges.map((e: Loose) => [e.node.puuid, e.node.matches]),
    );
    const heavy = byPlayer[HEAVY];
    const light = byPlayer[LIGHT];
    expect(heavy.edges.map((e: Loose) => e.node.match.matchId)).toEqual(expected.slice(0, 3));
    expect(heavy.edges.map((e: Loose) => e.node.kills)).toEqual([7, 7, 7]);
    expect(light.edges.map((e: Loose) => e.node.match.matchId)).toEqual([
      'EUW1_0001',
      'EUW1_0002',
      'EUW1_0003',
    ]);
    expect(light.edges.map((e: Loose) => e.node.kills)).toEqual([3, 3, 3]);
    expect(light.pageInfo.hasNextPage).toBe(true);
    // Not the 305 participations of the two players.
    expect(t.counter.rows - before).toBeLessThan(40);
  });
});
