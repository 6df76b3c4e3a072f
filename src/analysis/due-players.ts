import type { PrismaClient } from '../db/prisma.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { Platform } from '../riot/routing.ts';
import { eligibleGameCount } from './eligible-games.ts';
import { RETRY_FAILED_HOURS } from './retry.ts';

export type DuePlayer = {
  puuid: string;
  platform: Platform;
  riotId: string | null;
  /** Stored games of the analysed queues that detection counts (no remakes or early surrenders). */
  storedGames: number;
  rankCheckedAt: Date | null;
};

/**
 * Players due for analysis, claimed until `claimUntil`: up to `limit` never analysed (oldest
 * discovery first), and up to `limit` analysed ones with at least `reanalyzeAfter` matches
 * stored since (least recently analysed first). Each kind has its own `limit`: every history
 * fetch discovers new players, so re-analyses sharing their slots would either never re-check
 * a flag or hold new players back. A player claimed by another run (another analyzer
 * configuration, or another process) is not taken: one player is never fetched and analysed
 * twice at once.
 */
export async function selectDuePlayers(
  prisma: PrismaClient,
  options: { limit: number; reanalyzeAfter: number; queues: readonly number[]; claimUntil: Date },
): Promise<DuePlayer[]> {
  const queues = [...options.queues];
  const { limit } = options;
  const rows = await prisma.$queryRaw<
    {
      puuid: string;
      pass: number;
      platform: string;
      riot_id: string | null;
      stored_games: number;
      rank_checked_at: Date | null;
    }[]
  >`
    WITH due AS (
      (SELECT puuid, 0 AS pass, discovered_at AS since FROM players
       WHERE NOT is_analyzed AND (analysis_not_before IS NULL OR analysis_not_before <= now())
       ORDER BY discovered_at, puuid LIMIT ${limit})
      UNION ALL
      (SELECT puuid, 1, last_analyzed_at FROM players
       -- "> 0" is the reanalysis index's predicate, which a parameter alone would not imply.
       WHERE is_analyzed AND new_matches_since_analysis > 0
         AND new_matches_since_analysis >= ${options.reanalyzeAfter}
         AND (analysis_not_before IS NULL OR analysis_not_before <= now())
       ORDER BY last_analyzed_at NULLS FIRST, puuid LIMIT ${limit})
    )
    SELECT p.puuid, due.pass, p.platform, p.riot_id, p.rank_checked_at,
      ${eligibleGameCount(Prisma.raw('p.puuid'), queues)} AS stored_games
    FROM due JOIN players p USING (puuid)
    ORDER BY due.pass, due.since, p.puuid`;
  const claimed = await claim(
    prisma,
    rows.map((r) => r.puuid),
    options.claimUntil,
  );
  return rows
    .filter((r) => claimed.has(r.puuid))
    .map((r) => ({
      puuid: r.puuid,
      platform: r.platform as Platform,
      riotId: r.riot_id,
      storedGames: r.stored_games,
      rankCheckedAt: r.rank_checked_at,
    }));
}

/** Conditional: of two runs claiming one player, the second finds it claimed (row locks order them). */
async function claim(prisma: PrismaClient, puuids: string[], until: Date): Promise<Set<string>> {
  if (puuids.length === 0) return new Set();
  const rows = await prisma.$queryRaw<{ puuid: string }[]>`
    UPDATE players SET analysis_not_before = ${until}
    WHERE puuid = ANY(${puuids}::text[])
      AND (analysis_not_before IS NULL OR analysis_not_before <= now())
    RETURNING puuid`;
  return new Set(rows.map((r) => r.puuid));
}

/** Ends this run's claim on players it leaves unanalysed: due again for the next run. */
export async function releaseClaims(
  prisma: PrismaClient,
  puuids: readonly string[],
  claimedUntil: Date,
): Promise<void> {
  if (puuids.length === 0) return;
  await prisma.$executeRaw`
    UPDATE players SET analysis_not_before = NULL
    WHERE puuid = ANY(${[...puuids]}::text[]) AND analysis_not_before = ${claimedUntil}`;
}

/** Players whose data could not be fetched or analysed: taken again in an hour, not first in
 * every run meanwhile. */
export async function retryAnalysisLater(
  prisma: PrismaClient,
  puuids: readonly string[],
): Promise<void> {
  if (puuids.length === 0) return;
  await prisma.$executeRaw`
    UPDATE players
    SET analysis_not_before = now() + make_interval(hours => ${RETRY_FAILED_HOURS}::int)
    WHERE puuid = ANY(${[...puuids]}::text[])`;
}
