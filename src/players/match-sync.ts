import type { PrismaClient } from '../db/prisma.ts';
import type { RiotClient } from '../riot/client.ts';
import { RiotNotFoundError, RiotResponseError } from '../riot/errors.ts';
import type { Platform } from '../riot/routing.ts';
import { type Candidate, listMatchIds } from './match-list.ts';
import { UnsupportedMatchError } from './match-rows.ts';
import type { MatchStore, StoreResult } from './match-store.ts';
import { RANKED_QUEUE_IDS } from './rank.ts';

type Seen = { gameStart: Date | null; queueId: number | null };
/** What one run learnt about a match id (ok: stored or gone), shared by all its players. */
export type RunMatches = Map<string, Seen & { ok: boolean }>;

export type SyncDeps = {
  prisma: PrismaClient;
  riot: RiotClient;
  store: MatchStore;
  /** Ids fetched (or tried) in this run: a match is fetched at most once per run. */
  runMatches: RunMatches;
  /** Matches fetched at once: keeps the rate limiter's queue fed while a payload is stored. */
  concurrency?: number;
  onStored?(result: StoreResult, fetched: number, toFetch: number): void;
  /** A match skipped for good (404, or a payload that can never be stored), as it happens:
   * logged even when a later step for the player fails. */
  onSkipped?(matchId: string, reason: string): void;
};

export type SyncPlayer = {
  puuid: string;
  platform: Platform;
  matchesSyncedUntil: Date | null;
  pendingMatchIds: string[];
};

export type SyncResult = {
  listRequests: number;
  /** Match payloads requested. */
  fetched: number;
  stored: StoreResult[];
  /** Ids Riot no longer has (404): skipped. */
  missing: string[];
  /**
   * Ids whose payload can never be stored (a shape or values no match has): skipped too, or
   * the player would ask for them again on every run and never get past them.
   */
  rejected: { matchId: string; reason: string }[];
  /** Start of the newest game of the gap-free stored prefix of the player's list. */
  syncedUntil: Date | null;
  /** Listed games after that prefix, oldest first: the next run's work, unlisted. */
  pending: string[];
  /** Ranked games after the previous watermark, stored now or earlier (shared games). */
  newRankedGames: number;
  truncated: boolean;
  /** The first failure: the prefix stops before the game it hit. */
  error: unknown;
};

/**
 * Stores a player's new games, at most `cap` payloads, never one already stored or already tried
 * this run. A first run takes the newest `cap`; afterwards games are taken oldest first from the
 * watermark, so a backlog beyond the cap is finished by the next runs without a gap, from the
 * ids listed once (`pendingMatchIds`) rather than listing again.
 */
export async function syncPlayerMatches(
  deps: SyncDeps,
  player: SyncPlayer,
  options: { cap: number; queues: readonly number[] },
): Promise<SyncResult> {
  const since = player.matchesSyncedUntil;
  const cached = player.pendingMatchIds.length > 0;
  // A first run (no watermark, nothing kept) takes the newest games; otherwise the oldest first.
  const first = since === null && !cached;
  const listed = cached
    ? { requests: 0, truncated: false, candidates: [] }
    : await listMatchIds(deps.riot, player, options.queues, since);
  // Newest first when listed; the cache is oldest first.
  const candidates: Candidate[] = cached
    ? player.pendingMatchIds.map((matchId) => ({ matchId, queueId: null })).reverse()
    : listed.candidates;
  const known = await storedMatches(deps.prisma, candidates);
  const isNew = (c: Candidate) => !known.has(c.matchId) && !deps.runMatches.has(c.matchId);

  const ordered = first ? candidates : [...candidates].reverse();
  let taken = 0;
  let end = 0;
  for (; end < ordered.length; end++) {
    if (!isNew(ordered[end] as Candidate)) continue;
    if (taken === options.cap) break;
    taken += 1;
  }
  // Oldest first; on a first run the games older than the newest `cap` are history, not work.
  const chronological = first ? ordered.slice(0, end).reverse() : ordered;
  const toFetch = chronological.slice(0, first ? undefined : end).filter(isNew);

  const result: SyncResult = {
    listRequests: listed.requests,
    fetched: 0,
    stored: [],
    missing: [],
    rejected: [],
    syncedUntil: since,
    pending: [],
    newRankedGames: 0,
    truncated: listed.truncated,
    error: undefined,
  };
  await fetchAll(deps, toFetch, result, player.puuid);

  let prefix = 0;
  for (const c of chronological) {
    const seen = known.get(c.matchId) ?? deps.runMatches.get(c.matchId);
    if (!seen || ('ok' in seen && !seen.ok)) break;
    prefix += 1;
    const at = seen.gameStart;
    // The watermark game itself comes back (startTime is inclusive): it is no new game. Nor is
    // a skipped one (no start): the newest game of a list may be one, asked for on every run
    // until a newer game moves the watermark past it.
    const echo = since !== null && at !== null && at <= since;
    if (at !== null && !echo && RANKED_QUEUE_IDS.has(seen.queueId ?? c.queueId ?? -1)) {
      result.newRankedGames += 1;
    }
    if (at && (!result.syncedUntil || at > result.syncedUntil)) result.syncedUntil = at;
  }
  result.pending = chronological
    .slice(prefix)
    .filter((c) => !known.has(c.matchId))
    .map((c) => c.matchId);
  return result;
}

async function fetchAll(
  deps: SyncDeps,
  toFetch: Candidate[],
  result: SyncResult,
  listedFor: string,
) {
  let next = 0;
  const worker = async () => {
    while (result.error === undefined && next < toFetch.length) {
      const { matchId } = toFetch[next++] as Candidate;
      deps.runMatches.set(matchId, { ok: false, gameStart: null, queueId: null });
      result.fetched += 1;
      try {
        const match = await deps.riot.getMatch(matchId);
        if (!match.info.participants.some((p) => p.puuid === listedFor)) {
          throw new UnsupportedMatchError(
            `Match ${matchId}: the player whose match list holds it is not among its participants`,
          );
        }
        const stored = await deps.store.store(match);
        deps.runMatches.set(matchId, {
          ok: true,
          gameStart: stored.gameStart,
          queueId: stored.queueId,
        });
        if (stored.stored) result.stored.push(stored);
        deps.onStored?.(stored, result.fetched, toFetch.length);
      } catch (error) {
        if (error instanceof RiotNotFoundError) {
          deps.runMatches.set(matchId, { ok: true, gameStart: null, queueId: null });
          result.missing.push(matchId);
          deps.onSkipped?.(matchId, 'Match not found (404)');
        } else if (error instanceof UnsupportedMatchError || error instanceof RiotResponseError) {
          // The client already retried a body cut short; what is left is the payload itself.
          deps.runMatches.set(matchId, { ok: true, gameStart: null, queueId: null });
          result.rejected.push({ matchId, reason: error.message });
          deps.onSkipped?.(matchId, error.message);
        } else if (result.error === undefined) {
          result.error = error;
        }
      }
    }
  };
  const workers = Math.min(deps.concurrency ?? 3, toFetch.length);
  await Promise.all(Array.from({ length: workers }, worker));
}

async function storedMatches(prisma: PrismaClient, candidates: Candidate[]) {
  if (candidates.length === 0) return new Map<string, Seen>();
  const rows = await prisma.$queryRawUnsafe<
    { match_id: string; game_start: Date; queue_id: number }[]
  >(
    'SELECT match_id, game_start, queue_id FROM matches WHERE match_id = ANY($1::text[])',
    candidates.map((c) => c.matchId),
  );
  return new Map(
    rows.map((r): [string, Seen] => [r.match_id, { gameStart: r.game_start, queueId: r.queue_id }]),
  );
}
