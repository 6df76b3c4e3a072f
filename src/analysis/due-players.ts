import type { PrismaClient } from '../db/prisma.ts';
import type { Platform } from '../riot/routing.ts';

export type DuePlayer = {
  puuid: string;
  platform: Platform;
  riotId: string | null;
  isFlagged: boolean;
  /** New matches counted when the batch was read (subtracted once analysed). */
  newMatches: number;
  /** Stored games of the analysed queues. */
  storedGames: number;
  rankCheckedAt: Date | null;
};

/**
 * Up to `limit` players due for analysis: never analysed (oldest discovery first), then analysed
 * ones with at least `reanalyzeAfter` matches stored since (least recently analysed first).
 */
export async function selectDuePlayers(
  prisma: PrismaClient,
  options: { limit: number; reanalyzeAfter: number; queues: readonly number[] },
): Promise<DuePlayer[]> {
  const queues = [...options.queues];
  const rows = await prisma.$queryRaw<
    {
      puuid: string;
      platform: string;
      riot_id: string | null;
      is_flagged: boolean;
      new_matches: number;
      stored_games: number;
      rank_checked_at: Date | null;
    }[]
  >`
    WITH due AS (
      (SELECT puuid, 0 AS pass, discovered_at AS since FROM players
       WHERE NOT is_analyzed ORDER BY discovered_at, puuid LIMIT ${options.limit})
      UNION ALL
      (SELECT puuid, 1, last_analyzed_at FROM players
       WHERE is_analyzed AND new_matches_since_analysis >= ${options.reanalyzeAfter}
       ORDER BY last_analyzed_at NULLS FIRST, puuid LIMIT ${options.limit})
      ORDER BY pass, since, puuid LIMIT ${options.limit}
    )
    SELECT p.puuid, p.platform, p.riot_id, p.is_flagged,
      p.new_matches_since_analysis AS new_matches, p.rank_checked_at,
      (SELECT count(*)::int FROM match_participants mp
       WHERE mp.puuid = p.puuid AND mp.queue_id = ANY(${queues}::int[])) AS stored_games
    FROM due JOIN players p USING (puuid)
    ORDER BY due.pass, due.since, p.puuid`;
  return rows.map((r) => ({
    puuid: r.puuid,
    platform: r.platform as Platform,
    riotId: r.riot_id,
    isFlagged: r.is_flagged,
    newMatches: r.new_matches,
    storedGames: r.stored_games,
    rankCheckedAt: r.rank_checked_at,
  }));
}
