import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
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

const alive = () =>
  g.pair.simulator
    .groundTruth()
    .players.filter((p) => p.deletedAt === null && p.leftLolAt === null && p.platform === 'euw1');

const TRACK = `mutation($input: TrackPlayerInput!) { trackPlayer(input: $input) { __typename
  ... on PlayerPayload { player { puuid riotId platform isTracked summonerLevel } }
  ... on Error { code message } } }`;

const count = async (sql: string) => (await db.sql<{ n: number }>(sql)).rows[0]?.n;

describe('players', () => {
  test('trackPlayer by PUUID, then by Riot ID; untrackPlayer', async () => {
    const [one, two] = alive();
    if (!one || !two) throw new Error('simulator world too small');
    const byPuuid = await g.gql(TRACK, { input: { puuid: one.puuid } });
    expect(byPuuid.data?.trackPlayer).toMatchObject({
      __typename: 'PlayerPayload',
      player: { puuid: one.puuid, riotId: one.riotId, platform: 'euw1', isTracked: true },
    });
    const [gameName, tagLine] = two.riotId.split('#');
    const byRiotId = await g.gql(TRACK, {
      input: { riotId: two.riotId.toUpperCase(), platform: 'EUW1' },
    });
    expect(byRiotId.data?.trackPlayer.player).toMatchObject({
      puuid: two.puuid,
      riotId: two.riotId,
    });
    const byParts = await g.gql(TRACK, { input: { gameName, tagLine, platform: 'euw1' } });
    expect(byParts.data?.trackPlayer.player.puuid).toBe(two.puuid);
    expect(await count('SELECT count(*)::int AS n FROM players WHERE is_tracked')).toBe(2);

    const untrack = await g.gql(
      `mutation($p: String!) { untrackPlayer(input: { puuid: $p }) { __typename ... on PlayerPayload { player { isTracked } } } }`,
      { p: one.puuid },
    );
    expect(untrack.data?.untrackPlayer).toEqual({
      __typename: 'PlayerPayload',
      player: { isTracked: false },
    });
  });

  test('past MAX_TRACKED_PLAYERS: LIMIT_REACHED, nothing tracked', async () => {
    const [a, b, c] = alive();
    if (!a || !b || !c) throw new Error('simulator world too small');
    await g.gql(TRACK, { input: { puuid: a.puuid } });
    await g.gql(TRACK, { input: { puuid: b.puuid } });
    const refused = await g.gql(TRACK, { input: { puuid: c.puuid } });
    expect(refused.data?.trackPlayer).toMatchObject({
      __typename: 'LimitReachedError',
      code: 'LIMIT_REACHED',
    });
    expect(await count(`SELECT count(*)::int AS n FROM players WHERE puuid = '${c.puuid}'`)).toBe(
      0,
    );
  });

  test('an unknown Riot ID is NOT_FOUND; Riot down is RIOT_UNAVAILABLE; nothing stored', async () => {
    const missing = await g.gql(TRACK, { input: { riotId: 'Nobody#NONE', platform: 'euw1' } });
    expect(missing.data?.trackPlayer).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
    });
    g.pair.simulator.faults.inject({ kind: 'status', status: 503 });
    try {
      const down = await g.gql(TRACK, { input: { puuid: alive()[0]?.puuid } });
      expect(down.data?.trackPlayer).toMatchObject({
        __typename: 'RiotUnavailableError',
        code: 'RIOT_UNAVAILABLE',
      });
    } finally {
      g.pair.simulator.faults.clear();
    }
    expect(await count('SELECT count(*)::int AS n FROM players')).toBe(0);
  });
});
