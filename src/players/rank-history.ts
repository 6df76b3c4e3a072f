import type { SqlReader } from '../db/prisma.ts';
import type { RankSnapshot } from '../generated/prisma/client.ts';

export type RankHistoryOptions = { limit: number; queueType: string | null };

/** One snapshot as the statement returns it (array mode; see below). */
type Row = [
  index: number,
  id: number,
  queueType: string,
  tier: string,
  rank: string,
  leaguePoints: number,
  wins: number,
  losses: number,
  capturedAtMs: number,
];

/**
 * The newest `limit` rank snapshots of each player in `puuids` (newest first), in one statement
 * through node-postgres. Prisma's nested `take` would read every snapshot of every player and
 * slice in memory; here each player's newest rows come from the index and no more.
 *
 * Each row names its player by position in the list rather than by the 78-character PUUID, and
 * its time as epoch ms, which is what a Date holds (Prisma's own conversion drops the microseconds
 * the same way) and cheaper to convert than a timestamp's text. Packing the rows into one JSON
 * text instead cost the database more than it saved here.
 */
export async function newestRankSnapshots(
  sql: SqlReader,
  puuids: readonly string[],
  { limit, queueType }: RankHistoryOptions,
): Promise<Map<string, RankSnapshot[]>> {
  const byPlayer = new Map<string, RankSnapshot[]>();
  const players = [...new Set(puuids)];
  if (players.length === 0) return byPlayer;
  const { rows } = await sql.query<Row>({
    text: `SELECT p.idx::int, r.id, r.queue_type, r.tier, r.rank, r.league_points, r.wins,
        r.losses, floor(extract(epoch FROM r.captured_at) * 1000)::float8
      FROM unnest($1::text[]) WITH ORDINALITY AS p(puuid, idx)
      CROSS JOIN LATERAL (
        SELECT id, queue_type, tier, rank, league_points, wins, losses, captured_at
        FROM rank_snapshots WHERE puuid = p.puuid ${queueType === null ? '' : 'AND queue_type = $3'}
        ORDER BY captured_at DESC, id DESC LIMIT $2
      ) r
      ORDER BY p.idx, r.captured_at DESC, r.id DESC`,
    values: queueType === null ? [players, limit] : [players, limit, queueType],
    rowMode: 'array',
  });
  for (const row of rows) {
    const puuid = players[row[0] - 1] as string;
    const snapshot: RankSnapshot = {
      id: row[1],
      puuid,
      queueType: row[2],
      tier: row[3],
      rank: row[4],
      leaguePoints: row[5],
      wins: row[6],
      losses: row[7],
      capturedAt: new Date(row[8]),
    };
    const list = byPlayer.get(puuid);
    if (list) list.push(snapshot);
    else byPlayer.set(puuid, [snapshot]);
  }
  return byPlayer;
}
