import type { SqlReader } from '../db/prisma.ts';

/**
 * A page of a player's matches, newest first: `take` rows after the cursor's (older), or for a
 * negative `take` the rows before it (newer); without a cursor, from the newest or the oldest end.
 */
export type ParticipationPage = {
  take: number;
  /** The participation the page starts from (not included). */
  cursor?: { matchId: string; puuid: string };
};

/**
 * The match ids on each player's page of participations, newest first, in one statement through
 * node-postgres: each page comes from match_participants_puuid_start_idx and no more. Prisma
 * pages a nested relation in memory once there is a cursor or more than one parent, reading every
 * participation of every player on the page. A cursor row that does not exist, or is another
 * player's, gives an empty page (as Prisma's paging of the relation did).
 */
export async function participationPages(
  sql: SqlReader,
  puuids: readonly string[],
  { take, cursor }: ParticipationPage,
): Promise<Map<string, string[]>> {
  const byPlayer = new Map<string, string[]>();
  const players = [...new Set(puuids)];
  if (players.length === 0 || take === 0) return byPlayer;
  const backward = take < 0;
  const order = backward ? 'ASC' : 'DESC';
  const values: unknown[] = [players, Math.abs(take)];
  let after = '';
  if (cursor) {
    values.push(cursor.matchId, cursor.puuid);
    after = `AND (game_start, match_id) ${backward ? '>' : '<'}
      (SELECT game_start, match_id FROM match_participants
        WHERE match_id = $3 AND puuid = $4 AND puuid = p.puuid)`;
  }
  const { rows } = await sql.query<[index: number, matchId: string]>({
    text: `SELECT p.idx::int, m.match_id
      FROM unnest($1::text[]) WITH ORDINALITY AS p(puuid, idx)
      CROSS JOIN LATERAL (
        SELECT match_id, game_start FROM match_participants WHERE puuid = p.puuid ${after}
        ORDER BY game_start ${order}, match_id ${order} LIMIT $2
      ) m
      ORDER BY p.idx, m.game_start ${order}, m.match_id ${order}`,
    values,
    rowMode: 'array',
  });
  for (const [index, matchId] of rows) {
    const puuid = players[index - 1] as string;
    const list = byPlayer.get(puuid);
    if (list) list.push(matchId);
    else byPlayer.set(puuid, [matchId]);
  }
  if (backward) for (const list of byPlayer.values()) list.reverse();
  return byPlayer;
}
