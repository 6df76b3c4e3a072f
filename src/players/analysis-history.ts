import type { SqlReader } from '../db/prisma.ts';
import type { PlayerAnalysis } from '../generated/prisma/client.ts';

/**
 * The newest `limit` analyses of each player in `puuids` (newest first), in one statement: each
 * player's rows come from its index, where Prisma's nested `take` would read every analysis of
 * every player. Rows are keyed as Prisma keys them.
 */
export async function newestAnalyses(
  sql: SqlReader,
  puuids: readonly string[],
  limit: number,
): Promise<Map<string, PlayerAnalysis[]>> {
  const byPlayer = new Map<string, PlayerAnalysis[]>();
  const players = [...new Set(puuids)];
  if (players.length === 0) return byPlayer;
  const { rows } = await sql.query<PlayerAnalysis>(
    `SELECT a.id, a.puuid, a.algorithm_version AS "algorithmVersion",
       a.smurf_score AS "smurfScore", a.smurf_confidence AS "smurfConfidence",
       a.smurf_factors AS "smurfFactors", a.boosted_score AS "boostedScore",
       a.boosted_factors AS "boostedFactors", a.games_analyzed AS "gamesAnalyzed",
       a.is_flagged AS "isFlagged", a.status, a.is_boosted AS "isBoosted",
       a.duo_partner_puuid AS "duoPartnerPuuid", a.created_at AS "createdAt"
     FROM unnest($1::text[]) WITH ORDINALITY AS p(puuid, idx)
     CROSS JOIN LATERAL (
       SELECT * FROM player_analyses WHERE puuid = p.puuid
       ORDER BY created_at DESC, id DESC LIMIT $2
     ) a
     ORDER BY p.idx, a.created_at DESC, a.id DESC`,
    [players, limit],
  );
  for (const row of rows) {
    const list = byPlayer.get(row.puuid);
    if (list) list.push(row);
    else byPlayer.set(row.puuid, [row]);
  }
  return byPlayer;
}
