import { describe, expect, it } from 'vitest';
import { listMatchIds } from '../../../src/players/match-list.ts';
import type { RiotClient } from '../../../src/riot/client.ts';
import type { MatchIdsQuery } from '../../../src/riot/endpoints.ts';

/** A player with `total` games of queue 420: KR_1 (oldest) … KR_<total>. */
function riotWith(total: number) {
  const asked: MatchIdsQuery[] = [];
  const riot = {
    getMatchIdsByPuuid: async (_region: string, _puuid: string, query: MatchIdsQuery) => {
      asked.push(query);
      const start = query.start ?? 0;
      const end = Math.min(total, start + (query.count ?? 20));
      return Array.from({ length: Math.max(0, end - start) }, (_, i) => `KR_${total - start - i}`);
    },
  } as unknown as RiotClient;
  return { riot, asked };
}

const player = { puuid: 'P'.repeat(78), platform: 'kr' as const };

describe('listMatchIds', () => {
  it('a first run reads the newest page only, and that is not a truncated list', async () => {
    const { riot, asked } = riotWith(250);
    const listed = await listMatchIds(riot, player, [420], null);
    expect(asked).toHaveLength(1);
    expect(listed.candidates).toHaveLength(100);
    expect(listed.candidates[0]?.matchId).toBe('KR_250');
    expect(listed.truncated).toBe(false);
  });

  it('a catch-up reads every page up to five, and says so when games are left beyond them', async () => {
    const since = new Date('2026-01-01T00:00:00Z');
    const short = riotWith(250);
    expect((await listMatchIds(short.riot, player, [420], since)).truncated).toBe(false);
    expect(short.asked.map((q) => q.start)).toEqual([0, 100, 200]);
    const long = riotWith(600);
    const listed = await listMatchIds(long.riot, player, [420], since);
    expect(listed.truncated).toBe(true);
    expect(listed.candidates).toHaveLength(500);
  });

  it('takes no more ids from a page than it asked for', async () => {
    const riot = {
      getMatchIdsByPuuid: async () => Array.from({ length: 200_000 }, (_, i) => `KR_${i + 1}`),
    } as unknown as RiotClient;
    const listed = await listMatchIds(riot, player, [420], null);
    expect(listed.candidates).toHaveLength(100);
  });
});
