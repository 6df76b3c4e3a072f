import type { PrismaClient } from '../db/prisma.ts';
import type { RiotClient } from '../riot/client.ts';
import {
  RiotApiError,
  RiotBadRequestError,
  RiotNetworkError,
  RiotNotFoundError,
  RiotResponseError,
  RiotServerError,
} from '../riot/errors.ts';
import type { Platform } from '../riot/routing.ts';
import {
  clearFailure,
  GIVE_UP_AFTER_HOURS,
  isDue,
  loadFailures,
  type MatchFailure,
  recordFailure,
  retryWaitMs,
  shortError,
} from './match-failures.ts';
import { type Candidate, listMatchIds } from './match-list.ts';
import { UnsupportedMatchError } from './match-rows.ts';
import type { MatchStore, StoreResult } from './match-store.ts';
import { RANKED_QUEUE_IDS } from './rank.ts';

/** A match as stored (`storedAt`: when), or as tried this run (null times: not stored). */
type Seen = { gameStart: Date | null; queueId: number | null; storedAt: Date | null };
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
  /** A match whose fetch failed (asked for again later) or that is given up, as it happens:
   * logged even when a later step for the player fails. */
  onSkipped?(matchId: string, reason: string): void;
};

export type SyncPlayer = {
  puuid: string;
  platform: Platform;
  matchesSyncedUntil: Date | null;
  pendingMatchIds: string[];
  /** When the rank was last read (null: never): games stored since count as new. */
  rankCheckedAt?: Date | null;
};

export type SyncResult = {
  /** Ids whose fetch failed now: the watermark stays before them, and later runs ask for them
   * again until they are stored or given up a day after their first failure. */
  retrying: { matchId: string; reason: string }[];
  /** Start of the newest game of the gap-free stored prefix of the player's list. */
  syncedUntil: Date | null;
  /** Listed games after that prefix, oldest first: the next run's work, unlisted. */
  pending: string[];
  /** Nothing is left to fetch but games that failed or wait for their next attempt. */
  caughtUp: boolean;
  /** Ranked games of the list stored since the rank was last read, by this run or another
   * (a shared game, or one stored by a run that stopped before the rank step). */
  newRankedGames: number;
  truncated: boolean;
  /** The first failure: the prefix stops before the game it hit. */
  error: unknown;
};

/**
 * Stores a player's new games, at most `cap` payloads, never one already stored or already tried
 * this run. A first run takes the newest `cap`; afterwards games are taken oldest first from the
 * watermark, so a backlog beyond the cap is finished by the next runs without a gap, from the
 * ids listed once (`pendingMatchIds`) rather than listing again. A match whose fetch fails holds
 * the watermark (not the games after it) until it is stored or given up (see match-failures.ts).
 */
export async function syncPlayerMatches(
  deps: SyncDeps,
  player: SyncPlayer,
  options: { cap: number; queues: readonly number[] },
): Promise<SyncResult> {
  const since = player.matchesSyncedUntil;
  const rankCheckedAt = player.rankCheckedAt ?? null;
  const kept = player.pendingMatchIds;
  // A first run (no watermark, nothing kept) takes the newest games; otherwise the oldest first.
  const first = since === null && kept.length === 0;
  const keptFailures = kept.length > 0 ? await loadFailures(deps.prisma, kept) : new Map();
  // Kept ids are worked through without listing; once one of them has failed, the list is read
  // again from the watermark, so the games played since are not held up behind it.
  const cached = kept.length > 0 && keptFailures.size === 0;
  const listed = cached
    ? { truncated: false, candidates: [] }
    : await listMatchIds(deps.riot, player, options.queues, since);
  // Newest first when listed; the cache is oldest first.
  const candidates: Candidate[] = cached
    ? kept.map((matchId) => ({ matchId, queueId: null })).reverse()
    : since === null
      ? fromOldestKept(listed.candidates, kept)
      : listed.candidates;
  const [known, failures] = await Promise.all([
    storedMatches(deps.prisma, candidates),
    cached
      ? keptFailures
      : loadFailures(
          deps.prisma,
          candidates.map((c) => c.matchId),
        ),
  ]);
  passOverFailed(deps.runMatches, candidates, known, failures);
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
    retrying: [],
    syncedUntil: since,
    pending: [],
    caughtUp: false,
    newRankedGames: 0,
    truncated: listed.truncated,
    error: undefined,
  };
  await fetchAll(deps, toFetch, result, { puuid: player.puuid, failures });

  // The watermark moves over the games done without a gap: stored, or given up.
  let prefix = chronological.length;
  for (const [index, c] of chronological.entries()) {
    const stored = known.get(c.matchId);
    const run = deps.runMatches.get(c.matchId);
    const seen = stored ?? run;
    if (!seen || (!stored && run?.ok === false)) {
      prefix = Math.min(prefix, index);
      continue;
    }
    const at = seen.gameStart;
    // The watermark game itself comes back (startTime is inclusive), stored long before the
    // last rank read; a given-up game was never stored.
    const storedSinceRank =
      seen.storedAt !== null && (!rankCheckedAt || seen.storedAt > rankCheckedAt);
    if (storedSinceRank && RANKED_QUEUE_IDS.has(seen.queueId ?? c.queueId ?? -1)) {
      result.newRankedGames += 1;
    }
    if (index < prefix && at && (!result.syncedUntil || at > result.syncedUntil)) {
      result.syncedUntil = at;
    }
  }
  // Games this run stored stay: the next run finds them stored (no fetch) and, once the gap
  // before them is done, moves the watermark over them without listing.
  result.pending = chronological
    .slice(prefix)
    .filter((c) => !known.has(c.matchId))
    .map((c) => c.matchId);
  // Nothing left to fetch but games that failed or wait for their next attempt.
  result.caughtUp = !result.truncated && result.pending.every((id) => deps.runMatches.has(id));
  return result;
}

/**
 * The listed games (newest first) back to the oldest kept one: with no watermark the list has no
 * start, and the games older than a first run's are history. When no kept id is listed any more
 * (newer games filled the page, or Riot dropped them), the whole page is taken.
 */
function fromOldestKept(listed: Candidate[], kept: readonly string[]): Candidate[] {
  const keptIds = new Set(kept);
  const oldest = listed.findLastIndex((c) => keptIds.has(c.matchId));
  return oldest === -1 ? listed : listed.slice(0, oldest + 1);
}

/**
 * Failed matches not due for another attempt are passed over in this run: a given-up one as
 * done (the watermark moves past it), one waiting for its next attempt as missing (it holds the
 * watermark). Either way no request is made for it.
 */
function passOverFailed(
  runMatches: RunMatches,
  candidates: Candidate[],
  known: Map<string, Seen>,
  failures: Map<string, MatchFailure>,
) {
  for (const { matchId } of candidates) {
    const failure = failures.get(matchId);
    if (!failure || known.has(matchId) || runMatches.has(matchId) || isDue(failure)) continue;
    runMatches.set(matchId, { ok: failure.gaveUp, gameStart: null, queueId: null, storedAt: null });
  }
}

/**
 * What a failed fetch says about the match: `payload` (Riot has no such game, or sends one that
 * can never be stored) and `transient` (5xx, no answer) count against the match; a transient
 * one also stops the player (most likely every request would meet it now). Anything else (a 429
 * past the retries, a rejected key, an abort, the database) is no fault of the match.
 */
function failureKind(error: unknown): 'payload' | 'transient' | null {
  if (
    error instanceof RiotNotFoundError ||
    error instanceof RiotResponseError ||
    error instanceof UnsupportedMatchError ||
    error instanceof RiotBadRequestError
  ) {
    return 'payload';
  }
  if (error instanceof RiotServerError || error instanceof RiotNetworkError) return 'transient';
  return null;
}

/** A failed match for execution_log: its id, and Riot's status when the message lacks it. */
function describeFailure(matchId: string, error: unknown): string {
  if (error instanceof RiotNotFoundError) return `Match ${matchId}: not found (404)`;
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof RiotApiError && error.status !== null) {
    if (!message.includes(String(error.status))) message = `HTTP ${error.status}: ${message}`;
  }
  return shortError(message.includes(matchId) ? message : `Match ${matchId}: ${message}`);
}

async function fetchAll(
  deps: SyncDeps,
  toFetch: Candidate[],
  result: SyncResult,
  { puuid, failures }: { puuid: string; failures: Map<string, MatchFailure> },
) {
  let next = 0;
  let fetched = 0;
  const failed = async (matchId: string, error: unknown) => {
    const kind = failureKind(error);
    if (kind === 'transient' || kind === null) result.error ??= error;
    if (kind === null) return;
    const reason = describeFailure(matchId, error);
    const { attempts, gaveUp } = await recordFailure(deps.prisma, matchId, reason);
    if (gaveUp) {
      deps.runMatches.set(matchId, { ok: true, gameStart: null, queueId: null, storedAt: null });
      const note = `${reason} (given up: ${attempts} failed attempts over ${GIVE_UP_AFTER_HOURS} h)`;
      deps.onSkipped?.(matchId, note);
    } else {
      const wait = retryWaitMs(attempts) / 60_000;
      const note = `${reason} (attempt ${attempts}; asked for again in ${wait} min or later)`;
      result.retrying.push({ matchId, reason: note });
      deps.onSkipped?.(matchId, note);
    }
  };
  const worker = async () => {
    while (result.error === undefined && next < toFetch.length) {
      const { matchId } = toFetch[next++] as Candidate;
      deps.runMatches.set(matchId, { ok: false, gameStart: null, queueId: null, storedAt: null });
      fetched += 1;
      try {
        const match = await deps.riot.getMatch(matchId);
        if (match.metadata.matchId !== matchId) {
          throw new UnsupportedMatchError(
            `Match ${matchId}: Riot answered with another match (${match.metadata.matchId.slice(0, 40)})`,
          );
        }
        if (!match.info.participants.some((p) => p.puuid === puuid)) {
          throw new UnsupportedMatchError(
            `Match ${matchId}: the player whose match list holds it is not among its participants`,
          );
        }
        const stored = await deps.store.store(match);
        deps.runMatches.set(matchId, {
          ok: true,
          gameStart: stored.gameStart,
          queueId: stored.queueId,
          storedAt: new Date(),
        });
        if (failures.has(matchId)) await clearFailure(deps.prisma, matchId);
        deps.onStored?.(stored, fetched, toFetch.length);
      } catch (error) {
        await failed(matchId, error).catch((recording: unknown) => {
          result.error ??= recording;
        });
      }
    }
  };
  const workers = Math.min(deps.concurrency ?? 3, toFetch.length);
  await Promise.all(Array.from({ length: workers }, worker));
}

async function storedMatches(prisma: PrismaClient, candidates: Candidate[]) {
  if (candidates.length === 0) return new Map<string, Seen>();
  const rows = await prisma.$queryRawUnsafe<
    { match_id: string; game_start: Date; queue_id: number; created_at: Date }[]
  >(
    'SELECT match_id, game_start, queue_id, created_at FROM matches WHERE match_id = ANY($1::text[])',
    candidates.map((c) => c.matchId),
  );
  return new Map(
    rows.map((r): [string, Seen] => [
      r.match_id,
      { gameStart: r.game_start, queueId: r.queue_id, storedAt: r.created_at },
    ]),
  );
}
