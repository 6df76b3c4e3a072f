import type { RiotClient } from '../riot/client.ts';
import { type Platform, toRegion } from '../riot/routing.ts';

/** A listed match id, with the queue it was listed for (null: taken from the cache). */
export type Candidate = { matchId: string; queueId: number | null };

/** Riot's largest page. */
const PAGE_SIZE = 100;
/** Pages read per queue when catching up: 500 games behind is months of play. */
const MAX_PAGES = 5;

/**
 * A player's match ids, newest first, for the given queues. Without `since` (a first run) only the
 * newest page: older history is not the updater's to fetch. With `since` (epoch ms, inclusive to
 * the second) every page up to MAX_PAGES, so the oldest unstored games can be taken first.
 */
export async function listMatchIds(
  riot: RiotClient,
  player: { puuid: string; platform: Platform },
  queues: readonly number[],
  since: Date | null,
): Promise<{ candidates: Candidate[]; truncated: boolean }> {
  const region = toRegion(player.platform);
  const startTime = since ? Math.floor(since.getTime() / 1000) : undefined;
  const pages = since ? MAX_PAGES : 1;
  const candidates: Candidate[] = [];
  let truncated = false;
  for (const queueId of queues) {
    for (let page = 0; page < pages; page++) {
      const answer = await riot.getMatchIdsByPuuid(region, player.puuid, {
        queue: queueId,
        startTime,
        start: page * PAGE_SIZE,
        count: PAGE_SIZE,
      });
      // More than asked for is no answer Riot gives: the rest would be taken on trust.
      const ids = answer.slice(0, PAGE_SIZE);
      candidates.push(...ids.map((matchId) => ({ matchId, queueId })));
      if (ids.length < PAGE_SIZE) break;
      // A first run reads one page by design; a catch-up that fills every page left games out.
      if (since && page === pages - 1) truncated = true;
    }
  }
  if (queues.length > 1) {
    // Game ids grow with time on a platform: merge the queues' lists newest first.
    candidates.sort((a, b) => gameNumber(b.matchId) - gameNumber(a.matchId));
  }
  const seen = new Set<string>();
  return {
    candidates: candidates.filter((c) => !seen.has(c.matchId) && seen.add(c.matchId)),
    truncated,
  };
}

function gameNumber(matchId: string): number {
  return Number(matchId.slice(matchId.indexOf('_') + 1)) || 0;
}
