import { LOCK_CLASS } from '../db/advisory-locks.ts';
import type { PrismaClient } from '../db/prisma.ts';
import type { RiotClient } from '../riot/client.ts';
import type { Platform } from '../riot/routing.ts';

export const SOLO_QUEUE = 'RANKED_SOLO_5x5';
/** Queues whose games move a league-v4 rank (solo/duo and flex). */
export const RANKED_QUEUE_IDS: ReadonlySet<number> = new Set([420, 440]);

export type RankRefresh = { snapshotsCreated: number; playerChanged: boolean };

/** Advisory lock class (the two-key form, with hashtext(puuid)) of one player's rank refresh. */
export const RANK_LOCK_CLASS = LOCK_CLASS.rankRefresh;

// A snapshot per queue only when tier, rank, LP, wins or losses differ from that queue's latest;
// the player's current_* columns follow solo/duo (NULL when unranked there). Nothing is written
// when a standing read later ($3) is already stored: an older answer must not undo it.
const REFRESH_RANK = `
WITH fresh AS (
  SELECT 1 FROM players
  WHERE puuid = $1 AND (rank_checked_at IS NULL OR rank_checked_at <= $3::timestamptz)
), entry AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb)
    AS x(queue_type text, tier text, rank text, league_points int, wins int, losses int)
  WHERE EXISTS (SELECT 1 FROM fresh)
), snapshot AS (
  INSERT INTO rank_snapshots (puuid, queue_type, tier, rank, league_points, wins, losses)
  SELECT $1, e.queue_type, e.tier, e.rank, e.league_points, e.wins, e.losses FROM entry e
  WHERE NOT EXISTS (
    SELECT 1 FROM (
      SELECT s.tier, s.rank, s.league_points, s.wins, s.losses FROM rank_snapshots s
      WHERE s.puuid = $1 AND s.queue_type = e.queue_type
      ORDER BY s.captured_at DESC, s.id DESC LIMIT 1
    ) latest
    WHERE (latest.tier, latest.rank, latest.league_points, latest.wins, latest.losses)
        = (e.tier, e.rank, e.league_points, e.wins, e.losses))
  RETURNING 1
), solo AS (
  SELECT e.* FROM (SELECT 1) one LEFT JOIN entry e ON e.queue_type = '${SOLO_QUEUE}'
), player AS (
  UPDATE players p SET current_tier = solo.tier, current_rank = solo.rank,
    current_lp = solo.league_points, current_wins = solo.wins, current_losses = solo.losses,
    rank_checked_at = $3::timestamptz
  FROM solo, (SELECT current_tier, current_rank, current_lp, current_wins, current_losses
              FROM players WHERE puuid = $1) old
  WHERE p.puuid = $1 AND EXISTS (SELECT 1 FROM fresh)
  RETURNING (old.current_tier, old.current_rank, old.current_lp, old.current_wins, old.current_losses)
    IS DISTINCT FROM (solo.tier, solo.rank, solo.league_points, solo.wins, solo.losses) AS changed
)
SELECT (SELECT count(*) FROM snapshot)::int AS snapshots,
       COALESCE((SELECT changed FROM player), false) AS changed`;

/** league-v4 by PUUID: rank snapshots on change, and the player's current solo/duo standing. */
export async function refreshRank(
  prisma: PrismaClient,
  riot: RiotClient,
  player: { puuid: string; platform: Platform },
): Promise<RankRefresh> {
  const entries = await riot.getLeagueEntriesByPuuid(player.platform, player.puuid);
  const readAt = new Date();
  const ranked = entries
    .filter((e) => e.tier && e.rank)
    .map((e) => ({
      queue_type: e.queueType,
      tier: e.tier,
      rank: e.rank,
      league_points: e.leaguePoints,
      wins: e.wins,
      losses: e.losses,
    }));
  // Two refreshes of one player at once (the updater, and an analyzer fetching its history)
  // would each find the other's snapshot missing and both write it. The lock orders them, and the
  // refresh, a statement of its own, reads what the first one committed (and is dropped when
  // that was read after this one's answer).
  const [, rows] = await prisma.$transaction([
    prisma.$executeRaw`SELECT pg_advisory_xact_lock(${RANK_LOCK_CLASS}::int, hashtext(${player.puuid}))`,
    prisma.$queryRawUnsafe<{ snapshots: number; changed: boolean }[]>(
      REFRESH_RANK,
      player.puuid,
      JSON.stringify(ranked),
      readAt,
    ),
  ]);
  const row = rows[0];
  return { snapshotsCreated: row?.snapshots ?? 0, playerChanged: row?.changed ?? false };
}
