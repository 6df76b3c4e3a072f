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
    expect(result.rejected).toEqual([
      {
        matchId: match.metadata.matchId,
        reason: expect.stringMatching(/not among its participants/),
      },
    ]);
    expect(skipped).toEqual([match.metadata.matchId]);
    const { rows } = await db.sql('SELECT count(*)::int AS n FROM matches');
    expect(rows[0]?.n).toBe(0);
  });
});
