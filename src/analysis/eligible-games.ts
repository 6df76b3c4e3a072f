import { DEFAULT_SETTINGS } from '../detection/index.ts';
import { Prisma } from '../generated/prisma/client.ts';

/**
 * The condition on a stored game that detection's own filter applies (no remake, no early
 * surrender, at least the minimum length), for `participant` (match_participants) joined to
 * `match` (matches): every count of games detection would use says the same.
 */
export function eligibleGame(participant: string, match: string): Prisma.Sql {
  const mp = Prisma.raw(participant);
  const m = Prisma.raw(match);
  return Prisma.sql`${mp}.game_ended_in_early_surrender IS NOT TRUE
    AND ${mp}.team_early_surrendered IS NOT TRUE
    AND ${m}.game_duration_seconds >= ${DEFAULT_SETTINGS.minGameSeconds}`;
}

/** How many of the player `puuid` names (an SQL expression) has of such games in `queues`. */
export function eligibleGameCount(puuid: Prisma.Sql, queues: readonly number[]): Prisma.Sql {
  return Prisma.sql`(SELECT count(*)::int FROM match_participants mp JOIN matches m USING (match_id)
    WHERE mp.puuid = ${puuid} AND mp.queue_id = ANY(${[...queues]}::int[])
      AND ${eligibleGame('mp', 'm')})`;
}
