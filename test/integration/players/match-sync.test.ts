import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMatchStore } from '../../../src/players/match-store.ts';
import { type SyncPlayer, syncPlayerMatches } from '../../../src/players/match-sync.ts';
import type { RiotClient } from '../../../src/riot/client.ts';
import { RiotNotFoundError } from '../../../src/riot/errors.ts';
import { MatchDto } from '../../../src/riot/schemas.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());
beforeEach(async () => {
  await db.sql('TRUNCATE players, matches, match_fetch_failures CASCADE');
});

const match = MatchDto.parse(
  JSON.parse(readFileSync('test/fixtures/riot/match-v5/KR_7692293629.json', 'utf8')),
);

/** When game `n` of the player's list started: an hour later for each number above the fixture's. */
const startOf = (n: number) =>
  (match.info.gameStartTimestamp as number) + (n - 7692293629) * 60 * 60 * 1000;

/** The fixture game as game `n` of the player's list. */
function game(n: number): MatchDto {
  const duration = (match.info.gameEndTimestamp as number) - startOf(7692293629);
  return {
    ...match,
    metadata: { ...match.metadata, matchId: `KR_${n}` },
    info: {
      ...match.info,
      gameId: n,
      gameCreation: startOf(n),
      gameStartTimestamp: startOf(n),
      gameEndTimestamp: startOf(n) + duration,
    },
  };
}

/**
 * A player's games as Riot lists them (newest first, from `startTime` on; `play` adds a newer
 * one), with the payloads of `lost` gone (404); every payload asked for is kept in `fetched`.
 */
function riotWith(played: number[], lost: number[]) {
  const fetched: string[] = [];
  const listed = [...played];
  const riot = {
    getMatchIdsByPuuid: async (_region: string, _puuid: string, query: { startTime?: number }) =>
      listed.filter((n) => startOf(n) >= (query.startTime ?? 0) * 1000).map((n) => `KR_${n}`),
    getMatch: async (id: string) => {
      fetched.push(id);
      const n = Number(id.slice(3));
      if (lost.includes(n)) throw new RiotNotFoundError();
      return game(n);
    },
  } as unknown as RiotClient;
  return { riot, fetched, play: (n: number) => listed.unshift(n) };
}

/** The next run of the updater for `player`, which keeps its watermark and kept ids. */
async function nextRun(riot: RiotClient, player: SyncPlayer, cap: number) {
  const result = await syncPlayerMatches(
    { prisma: db.prisma, riot, store: createMatchStore(db.prisma), runMatches: new Map() },
    player,
    { cap, queues: [420] },
  );
  player.matchesSyncedUntil = result.syncedUntil;
  player.pendingMatchIds = result.pending;
  return result;
}

/** A player never synced: no watermark, nothing kept. */
const newPlayer = (puuid: string): SyncPlayer => ({
  puuid,
  platform: 'kr',
  matchesSyncedUntil: null,
  pendingMatchIds: [],
});

async function storedIds(): Promise<string[]> {
  const { rows } = await db.sql('SELECT match_id FROM matches ORDER BY match_id');
  return rows.map((r) => r.match_id as string);
}

/** Makes the next attempt at every failed match its last: its first failure is a day old. */
async function dayOldFailures() {
  await db.sql(`UPDATE match_fetch_failures SET first_failed_at = now() - interval '25 hours',
    last_failed_at = now() - interval '2 hours'`);
}

describe('match sync', () => {
  it('a payload without the player whose list holds it is skipped, not stored as their game', async () => {
    const stranger = 'S'.repeat(78);
    const skipped: string[] = [];
    // Riot answering with a game its list says the player played, and in which they are not.
    const riot = {
      getMatchIdsByPuuid: async () => [match.metadata.matchId],
      getMatch: async () => match,
    } as unknown as RiotClient;
    const result = await syncPlayerMatches(
      {
        prisma: db.prisma,
        riot,
        store: createMatchStore(db.prisma),
        runMatches: new Map(),
        onSkipped: (id) => skipped.push(id),
      },
      newPlayer(stranger),
      { cap: 5, queues: [420] },
    );
    expect(result.retrying).toEqual([
      {
        matchId: match.metadata.matchId,
        reason: expect.stringMatching(/not among its participants.*attempt 1/),
      },
    ]);
    expect(skipped).toEqual([match.metadata.matchId]);
    const { rows } = await db.sql('SELECT count(*)::int AS n FROM matches');
    expect(rows[0]?.n).toBe(0);
  });

  it('a payload of another match than the one asked for is refused and counted, not stored', async () => {
    const [player] = match.metadata.participants;
    const riot = {
      getMatchIdsByPuuid: async () => ['KR_1'],
      getMatch: async () => match,
    } as unknown as RiotClient;
    const result = await syncPlayerMatches(
      { prisma: db.prisma, riot, store: createMatchStore(db.prisma), runMatches: new Map() },
      newPlayer(player as string),
      { cap: 5, queues: [420] },
    );
    expect(result.retrying).toEqual([
      {
        matchId: 'KR_1',
        reason: expect.stringMatching(/^Match KR_1: Riot answered with another match/),
      },
    ]);
    expect(result.pending).toEqual(['KR_1']);
    const { rows } = await db.sql('SELECT count(*)::int AS n FROM matches');
    expect(rows[0]?.n).toBe(0);
    const failures = await db.sql('SELECT match_id, attempts FROM match_fetch_failures');
    expect(failures.rows).toContainEqual({ match_id: 'KR_1', attempts: 1 });
  });

  it("a failed game of a player's first run does not hold up the games played since", async () => {
    const player = newPlayer(match.metadata.participants[0] as string);
    const riot = riotWith([7692293629, 7692293628, 7692293627], [7692293628]);
    const first = await nextRun(riot.riot, player, 2);
    expect(first.retrying.map((r) => r.matchId)).toEqual(['KR_7692293628']);
    expect(player.matchesSyncedUntil).toBeNull();

    riot.play(7692293630);
    const second = await nextRun(riot.riot, player, 2);
    // The failed game waits for its next attempt; the new one is stored meanwhile.
    expect([...riot.fetched].sort()).toEqual(['KR_7692293628', 'KR_7692293629', 'KR_7692293630']);
    expect(await storedIds()).toEqual(['KR_7692293629', 'KR_7692293630']);
    expect(second.pending[0]).toBe('KR_7692293628');
    expect(player.matchesSyncedUntil).toBeNull();
  });

  it("a first run's failed game given up a day later loses none of the games played meanwhile", async () => {
    const player = newPlayer(match.metadata.participants[0] as string);
    const riot = riotWith([7692293629, 7692293628, 7692293627], [7692293629]);
    await nextRun(riot.riot, player, 1);
    for (const n of [7692293630, 7692293631, 7692293632]) riot.play(n);
    await dayOldFailures();
    for (let run = 2; run <= 6; run++) await nextRun(riot.riot, player, 1);
    // Each played game once (the lost one twice: its last attempt gives it up), no older one.
    expect(riot.fetched).toEqual([
      'KR_7692293629',
      'KR_7692293629',
      'KR_7692293630',
      'KR_7692293631',
      'KR_7692293632',
    ]);
    expect(await storedIds()).toEqual(['KR_7692293630', 'KR_7692293631', 'KR_7692293632']);
    expect(player.pendingMatchIds).toEqual([]);
    expect(player.matchesSyncedUntil).toEqual(new Date(startOf(7692293632)));
  });
});
