import type { PrismaClient } from '../db/prisma.ts';
import { isPlatform } from '../riot/routing.ts';
import { type SyncDeps, type SyncResult, syncPlayerMatches } from './match-sync.ts';
import { type RankRefresh, refreshRank } from './rank.ts';
import { refreshRiotId } from './riot-id.ts';

/**
 * A rank or Riot ID older than this is refreshed whatever the matches say (LP decay, a season
 * reset, a rename by someone who has not played since).
 */
export const REFRESH_AFTER_MS = 24 * 60 * 60 * 1000;

export type TrackedPlayer = {
  puuid: string;
  platform: string;
  matchesSyncedUntil: Date | null;
  pendingMatchIds: string[];
  rankCheckedAt: Date | null;
};

export type PlayerUpdate = {
  sync: SyncResult;
  rank: RankRefresh | null;
  /** null: not asked (a match showed the Riot ID recently enough). */
  riotIdChanged: boolean | null;
};

/**
 * One tracked player: new matches first, then league-v4 only when the stored games say the rank
 * moved (new ranked games, and no backlog left) or it is a day old, then account-v1
 * only when no match or answer has shown the Riot ID for a day. Progress is kept even when a
 * step fails: the watermark covers what was stored.
 */
export async function updateTrackedPlayer(
  deps: SyncDeps,
  player: TrackedPlayer,
  options: { cap: number; queues: readonly number[] },
  phase: (what: string) => void,
): Promise<PlayerUpdate> {
  const { platform, puuid } = player;
  if (!isPlatform(platform)) throw new Error(`Unknown platform ${platform}`);
  phase('matches');
  const sync = await syncPlayerMatches(deps, { ...player, platform }, options);
  const [row] = await deps.prisma.$queryRaw<
    { riot_id_seen: Date | null; rank_checked_at: Date | null }[]
  >`
    UPDATE players
    SET matches_synced_until = ${sync.syncedUntil}, pending_match_ids = ${sync.pending}
    WHERE puuid = ${puuid}
    RETURNING COALESCE(riot_id_observed_at, tracked_at) AS riot_id_seen, rank_checked_at`;
  if (sync.error !== undefined) throw sync.error;
  const stale = (at: Date | null | undefined) =>
    !at || Date.now() - at.getTime() > REFRESH_AFTER_MS;

  let rank: RankRefresh | null = null;
  if (stale(row?.rank_checked_at) || (sync.caughtUp && sync.newRankedGames > 0)) {
    phase('rank');
    rank = await refreshRank(deps.prisma, deps.riot, { puuid, platform });
  }
  let riotIdChanged: boolean | null = null;
  if (stale(row?.riot_id_seen)) {
    phase('riot id');
    riotIdChanged = await refreshRiotId(deps.prisma, deps.riot, { puuid, platform });
  }
  return { sync, rank, riotIdChanged };
}

/** Marks a player as visited by this run (success or its own failure), for the next run's order. */
export async function markUpdated(prisma: PrismaClient, puuid: string): Promise<void> {
  await prisma.$executeRaw`UPDATE players SET last_updated = now() WHERE puuid = ${puuid}`;
}
