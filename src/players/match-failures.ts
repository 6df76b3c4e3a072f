import type { PrismaClient } from '../db/prisma.ts';

/** A match is given up on the first failed attempt made this long after its first failure. */
export const GIVE_UP_AFTER_HOURS = 24;
/** Longest wait between two attempts at one match. */
const MAX_WAIT_MINUTES = 60;
/** An error text kept (and logged) for a match is cut to this length. */
const MAX_ERROR_LENGTH = 500;

export type MatchFailure = { attempts: number; lastFailedAt: Date; gaveUp: boolean };

/** The wait after `attempts` failures before the match is asked for again: 1, 2, 4 … 60 min. */
export function retryWaitMs(attempts: number): number {
  return Math.min(2 ** Math.max(0, attempts - 1), MAX_WAIT_MINUTES) * 60_000;
}

/** Whether a failed match may be asked for again at `now`. */
export function isDue(failure: MatchFailure, now = Date.now()): boolean {
  return !failure.gaveUp && now >= failure.lastFailedAt.getTime() + retryWaitMs(failure.attempts);
}

export function shortError(message: string): string {
  return message.length <= MAX_ERROR_LENGTH ? message : `${message.slice(0, MAX_ERROR_LENGTH)}…`;
}

/** The failures on record for these match ids. */
export async function loadFailures(
  prisma: PrismaClient,
  matchIds: readonly string[],
): Promise<Map<string, MatchFailure>> {
  if (matchIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<
    { match_id: string; attempts: number; last_failed_at: Date; gave_up: boolean }[]
  >`
    SELECT match_id, attempts, last_failed_at, gave_up_at IS NOT NULL AS gave_up
    FROM match_fetch_failures WHERE match_id = ANY(${matchIds}::text[])`;
  return new Map(
    rows.map((r) => [
      r.match_id,
      { attempts: r.attempts, lastFailedAt: r.last_failed_at, gaveUp: r.gave_up },
    ]),
  );
}

/**
 * Counts a failed attempt at a match, and gives it up when its first failure is a day old. One
 * statement, so concurrent runs that share the match count each attempt once.
 */
export async function recordFailure(
  prisma: PrismaClient,
  matchId: string,
  error: string,
): Promise<{ attempts: number; gaveUp: boolean }> {
  const [row] = await prisma.$queryRaw<{ attempts: number; gave_up: boolean }[]>`
    INSERT INTO match_fetch_failures (match_id, attempts, last_error)
    VALUES (${matchId}, 1, ${shortError(error)})
    ON CONFLICT (match_id) DO UPDATE SET
      attempts = match_fetch_failures.attempts + 1,
      last_error = EXCLUDED.last_error,
      last_failed_at = now(),
      gave_up_at = CASE
        WHEN now() - match_fetch_failures.first_failed_at
          >= make_interval(hours => ${GIVE_UP_AFTER_HOURS}::int)
        THEN now() END
    RETURNING attempts, gave_up_at IS NOT NULL AS gave_up`;
  return { attempts: row?.attempts ?? 1, gaveUp: row?.gave_up ?? false };
}

/** Forgets the failures of a match that has now been stored. */
export async function clearFailure(prisma: PrismaClient, matchId: string): Promise<void> {
  await prisma.$executeRaw`DELETE FROM match_fetch_failures WHERE match_id = ${matchId}`;
}
