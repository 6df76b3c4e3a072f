import { Prisma, type PrismaClient, type RankSnapshot } from '../generated/prisma/client.ts';

export type RankHistoryOptions = { limit: number; queueType: string | null };

/**
 * The newest `limit` rank snapshots of each player in `puuids` (newest first), in one statement.
 * Prisma's nested `take` would read every snapshot of every player and slice in memory; the window
 * function leaves the rest in the database however long a history grows.
 */
export async function newestRankSnapshots(
  prisma: Pick<PrismaClient, '$queryRaw'>,
  puuids: readonly string[],
  { limit, queueType }: RankHistoryOptions,
): Promise<Map<string, RankSnapshot[]>> {
  const byPlayer = new Map<string, RankSnapshot[]>();
  if (puuids.length === 0) return byPlayer;
  const queue = queueType === null ? Prisma.empty : Prisma.sql`AND queue_type = ${queueType}`;
  const rows = await prisma.$queryRaw<RankSnapshot[]>`
    SELECT id, puuid, queue_type AS "queueType", tier, rank, league_points AS "leaguePoints",
      wins, losses, captured_at AS "capturedAt"
    FROM (
      SELECT id, puuid, queue_type, tier, rank, league_points, wins, losses, captured_at,
        row_number() OVER (PARTITION BY puuid ORDER BY captured_at DESC, id DESC) AS n
      FROM rank_snapshots WHERE puuid = ANY(${puuids}) ${queue}
    ) newest
    WHERE n <= ${limit}
    ORDER BY puuid, n`;
  for (const row of rows) {
    const list = byPlayer.get(row.puuid);
    if (list) list.push(row);
    else byPlayer.set(row.puuid, [row]);
  }
  return byPlayer;
}
