import type { PrismaClient } from '../db/prisma.ts';
import type { RiotClient } from '../riot/client.ts';
import { RiotNotFoundError } from '../riot/errors.ts';
import type { Platform } from '../riot/routing.ts';
import { type Candidate, listMatchIds } from './match-list.ts';
import type { MatchStore, StoreResult } from './match-store.ts';
import { RANKED_QUEUE_IDS } from './rank.ts';

/** What one run learnt about a match id, shared by all the players of the run. */
export type RunMatches = Map<string, { ok: boolean; gameStart: Date | null }>;

export type SyncDeps = {
  prisma: PrismaClient;
  riot: RiotClient;
  store: MatchStore;
  /** Ids fetched (or tried) in this run: a match is fetched at most once per run. */
  runMatches: RunMatches;
  /** Matches fetched at once: keeps the rate limiter's queue fed while a payload is stored. */
  concurrency?: number;
  onStored?(result: StoreResult, fetched: number, toFetch: number): void;
};

export type SyncPlayer = { puuid: string; platform: Platform; matchesSyncedUntil: Date | null };

export type SyncResult = {
  listRequests: number;
  /** Match payloads requested (stored, already stored by a concurrent writer, or missing). */
  fetched: number;
  stored: StoreResult[];
  /** Ids Riot no longer has (404): skipped. */
  missing: string[];
  /** The new watermark: start of the newest game of a gap-free prefix of the player's list. */
  syncedUntil: Date | null;
  /** Nothing left to fetch beyond the cap. */
  caughtUp: boolean;
  /** Ranked games newer than the previous watermark, stored now or earlier (shared games). */
  newRankedGames: number;
  truncated: boolean;
  /** The first failure: the watermark stops before the game it hit. */
  error: unknown;
};

/**
 * Stores a player's new games: listed from the watermark, never fetched when already stored or
 * already tried this run, at most `cap` payloads, oldest first once the player has a watermark
 * (so the next run continues without a gap) and the newest `cap` on a first run.
 */
export async function syncPlayerMatches(
  deps: SyncDeps,
  player: SyncPlayer,
  options: { cap: number; queues: readonly number[] },
): Promise<SyncResult> {
  const since = player.matchesSyncedUntil;
  const listed = await listMatchIds(deps.riot, player, options.queues, since);
  const known = await storedStarts(deps.prisma, listed.candidates);
  const isNew = (c: Candidate) => !known.has(c.matchId) && !deps.runMatches.has(c.matchId);

  const ordered = since ? [...listed.candidates].reverse() : listed.candidates;
  let taken = 0;
  let end = 0;
  for (; end < ordered.length; end++) {
    if (!isNew(ordered[end] as Candidate)) continue;
    if (taken === options.cap) break;
    taken += 1;
  }
  const chosen = ordered.slice(0, end);
  const chronological = since ? chosen : chosen.reverse();
  const toFetch = chronological.filter(isNew);

  // The watermark game itself comes back (startTime is inclusive): it is no new game.
  const isEcho = (c: Candidate) => {
    const at = known.get(c.matchId);
    return since !== null && at !== undefined && at <= since;
  };
  const result: SyncResult = {
    listRequests: listed.requests,
    fetched: 0,
    stored: [],
    missing: [],
    syncedUntil: since,
    caughtUp: !since || end === ordered.length,
    newRankedGames: chronological.filter((c) => RANKED_QUEUE_IDS.has(c.queueId) && !isEcho(c))
      .length,
    truncated: listed.truncated,
    error: undefined,
  };
  await fetchAll(deps, toFetch, result);

  for (const c of chronological) {
    const stored = known.get(c.matchId);
    const tried = deps.runMatches.get(c.matchId);
    if (stored === undefined && !tried?.ok) break;
    const at = stored ?? tried?.gameStart ?? null;
    if (at && (!result.syncedUntil || at > result.syncedUntil)) result.syncedUntil = at;
  }
  return result;
}

async function fetchAll(deps: SyncDeps, toFetch: Candidate[], result: SyncResult) {
  let next = 0;
  const worker = async () => {
    while (result.error === undefined && next < toFetch.length) {
      const { matchId } = toFetch[next++] as Candidate;
      deps.runMatches.set(matchId, { ok: false, gameStart: null });
      result.fetched += 1;
      try {
        const stored = await deps.store.store(await deps.riot.getMatch(matchId));
        deps.runMatches.set(matchId, { ok: true, gameStart: stored.gameStart });
        if (stored.stored) result.stored.push(stored);
        deps.onStored?.(stored, result.fetched, toFetch.length);
      } catch (error) {
        if (error instanceof RiotNotFoundError) {
          deps.runMatches.set(matchId, { ok: true, gameStart: null });
          result.missing.push(matchId);
        } else if (result.error === undefined) {
          result.error = error;
        }
      }
    }
  };
  const workers = Math.min(deps.concurrency ?? 3, toFetch.length);
  await Promise.all(Array.from({ length: workers }, worker));
}

async function storedStarts(prisma: PrismaClient, candidates: Candidate[]) {
  if (candidates.length === 0) return new Map<string, Date>();
  const rows = await prisma.$queryRawUnsafe<{ match_id: string; game_start: Date }[]>(
    'SELECT match_id, game_start FROM matches WHERE match_id = ANY($1::text[])',
    candidates.map((c) => c.matchId),
  );
  return new Map(rows.map((r) => [r.match_id, r.game_start]));
}
