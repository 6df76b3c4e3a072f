import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { type Loose, startGraphQL } from './harness.ts';
import { ALICE, BOB, CAROL, puuidOf, seedPlayers } from './seed.ts';

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

const puuids = (r: { data?: Loose }) =>
  r.data?.players.edges.map((e: { node: { puuid: string } }) => e.node.puuid);

describe('players', () => {
  test('player(puuid) with rank, matches newest first, history, analyses and status events', async () => {
    const r = await g.gql(
      `query($p: String!) { player(puuid: $p) {
        id puuid riotId platform isTracked isFlagged rank { tier division leaguePoints wins losses }
        matches(first: 2) { edges { node { kills kda creepScore riotIdAtTheTime match { matchId gameStart } } }
          pageInfo { hasNextPage } }
        rankHistory(queueType: "RANKED_SOLO_5x5") { tier division }
        analyses(limit: 1) { algorithmVersion smurfScore smurfConfidence
          smurfFactors { name score weight explanation details } boostedFactors { name score explanation } }
        accountStatusHistory { previousStatus status evidence } } }`,
      { p: ALICE },
    );
    expect(r.errors).toBeUndefined();
    const p = r.data?.player;
    expect(p).toMatchObject({
      puuid: ALICE,
      riotId: 'Alice#EUW',
      platform: 'euw1',
      isFlagged: true,
    });
    expect(p.rank).toEqual({
      tier: 'GOLD',
      division: 'II',
      leaguePoints: 40,
      wins: 20,
      losses: 10,
    });
    const matches = p.matches.edges.map((e: Loose) => e.node);
    expect(matches.map((m: Loose) => m.match.matchId)).toEqual(['EUW1_1000', 'EUW1_1002']);
    expect(matches[0]).toMatchObject({
      kills: 13,
      kda: 10.5,
      creepScore: 200,
      riotIdAtTheTime: 'Alice#EUW',
    });
    expect(p.matches.pageInfo.hasNextPage).toBe(true);
    expect(p.rankHistory).toEqual([
      { tier: 'GOLD', division: 'II' },
      { tier: 'SILVER', division: 'I' },
    ]);
    expect(p.analyses).toHaveLength(1);
    expect(p.analyses[0].smurfFactors).toEqual([
      {
        name: 'win_rate',
        score: 0.9,
        weight: 0.18,
        explanation: 'Wins 80% of 20 games',
        details: { games: 20 },
      },
    ]);
    expect(p.analyses[0].boostedFactors).toEqual([
      { name: 'duo_dependence', score: 0.4, explanation: 'Plays 60% of games with one partner' },
    ]);
    expect(p.accountStatusHistory).toEqual([
      { previousStatus: 'active', status: 'renamed', evidence: { from: 'Alicia#EUW' } },
    ]);
    const node = await g.gql('query($id: ID!) { node(id: $id) { ... on Player { puuid } } }', {
      id: p.id,
    });
    expect(node.data?.node).toEqual({ puuid: ALICE });
  });

  test('player(puuid) of an unknown player is null', async () => {
    const r = await g.gql(`{ player(puuid: "${'Z'.repeat(78)}") { puuid } }`);
    expect(r).toEqual({ data: { player: null } });
  });

  test('node(id) of an unknown player or execution is null', async () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    for (const id of [b64(`Player:${'Z'.repeat(78)}`), b64('JobExecution:424242')]) {
      const r = await g.gql('query($id: ID!) { node(id: $id) { id } }', { id });
      expect(r).toEqual({ data: { node: null } });
    }
  });

  test('players filters: tracked, analyzed, flagged, platform, Riot ID prefix search', async () => {
    const q = `query($t: Boolean, $a: Boolean, $f: Boolean, $pl: String, $s: String) {
      players(tracked: $t, analyzed: $a, flagged: $f, platform: $pl, search: $s) {
        totalCount edges { node { puuid } } } }`;
    expect(puuids(await g.gql(q, {}))).toEqual([ALICE, BOB, CAROL]);
    expect(puuids(await g.gql(q, { t: true }))).toEqual([ALICE, CAROL]);
    expect(puuids(await g.gql(q, { t: false }))).toEqual([BOB]);
    expect(puuids(await g.gql(q, { a: true }))).toEqual([ALICE]);
    expect(puuids(await g.gql(q, { f: false }))).toEqual([BOB, CAROL]);
    expect(puuids(await g.gql(q, { pl: 'KR' }))).toEqual([BOB]);
    expect(puuids(await g.gql(q, { s: 'ali' }))).toEqual([ALICE]);
    expect(puuids(await g.gql(q, { s: 'bob#kr' }))).toEqual([BOB]);
    // LIKE wildcards are literal: "%" matches only Carol's tag, "_" matches nobody.
    expect(puuids(await g.gql(q, { s: 'Carol#100%' }))).toEqual([CAROL]);
    expect(puuids(await g.gql(q, { s: '_' }))).toEqual([]);
    expect((await g.gql(q, { t: true })).data?.players.totalCount).toBe(2);
  });

  test('players(search:) matches a final sigma ς and σ alike, in either case', async () => {
    const greek = [puuidOf('G'), puuidOf('H'), puuidOf('I')];
    await db.sql(
      `INSERT INTO players (puuid, riot_id, platform)
       SELECT unnest($1::text[]), unnest(ARRAY['Σοφος#EUW', 'ΣΟΦΟΣ#GR', 'σοφοσ#GR']), 'euw1'`,
      [greek],
    );
    try {
      const flat = `query($s: String) { players(search: $s) {
        totalCount edges { node { puuid } } } }`;
      const withRelations = `query($s: String) { players(search: $s, first: 5) {
        edges { node { puuid analyses(limit: 1) { smurfScore } } } } }`;
      for (const s of ['ΣΟΦΟΣ', 'σοφος', 'σοφοσ', 'Σοφος']) {
        const r = await g.gql(flat, { s });
        expect(puuids(r), s).toEqual(greek);
        expect(r.data?.players.totalCount, s).toBe(3);
        expect(puuids(await g.gql(withRelations, { s })), s).toEqual(greek);
      }
    } finally {
      await db.sql('DELETE FROM players WHERE puuid = ANY($1)', [greek]);
    }
  });

  test('a search selecting relations pages like a flat one, with the relations of its rows', async () => {
    const q = `query($s: String, $after: String) { players(search: $s, first: 1, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { puuid analyses(limit: 1) { smurfScore } } } } }`;
    const first = await g.gql(q, { s: 'a' });
    expect(first.data?.players.totalCount).toBe(1);
    expect(first.data?.players.edges).toEqual([
      { node: { puuid: ALICE, analyses: [{ smurfScore: expect.any(Number) }] } },
    ]);
    const c = await g.gql(q, { s: 'c' });
    expect(puuids(c)).toEqual([CAROL]);
    expect(c.data?.players.edges[0].node.analyses).toEqual([]);
    const none = await g.gql(q, { s: 'c', after: c.data?.players.pageInfo.endCursor });
    expect(none.data?.players.edges).toEqual([]);
  });

  test('players pages forward with cursors', async () => {
    const q = `query($after: String) { players(first: 2, after: $after) {
      edges { cursor node { puuid } } pageInfo { hasNextPage endCursor } } }`;
    const first = await g.gql(q);
    expect(puuids(first)).toEqual([ALICE, BOB]);
    expect(first.data?.players.pageInfo.hasNextPage).toBe(true);
    const second = await g.gql(q, { after: first.data?.players.pageInfo.endCursor });
    expect(puuids(second)).toEqual([CAROL]);
    expect(second.data?.players.pageInfo.hasNextPage).toBe(false);
  });

  test('trackedPlayers lists the tracked ones', async () => {
    const r = await g.gql('{ trackedPlayers { puuid isTracked } }');
    expect(r.data?.trackedPlayers.map((p: Loose) => p.puuid).sort()).toEqual([ALICE, CAROL]);
  });
});
