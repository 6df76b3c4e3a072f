import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatchStore } from '../../../src/players/match-store.ts';
import { syncPlayerMatches } from '../../../src/players/match-sync.ts';
import type { RiotClient } from '../../../src/riot/client.ts';
import { MatchDto } from '../../../src/riot/schemas.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const match = MatchDto.parse(
  JSON.parse(readFileSync('test/fixtures/riot/match-v5/KR_7692293629.json', 'utf8')),
);

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
      { puuid: stranger, platform: 'kr', matchesSyncedUntil: null, pendingMatchIds: [] },
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
      { puuid: player as string, platform: 'kr', matchesSyncedUntil: null, pendingMatchIds: [] },
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
});
