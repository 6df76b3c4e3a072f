import type { PrismaClient } from '../db/prisma.ts';
import type { DetectionResult } from '../detection/index.ts';

export type Verdict = { smurf: boolean; boosted: boolean };

/**
 * One `player_analyses` row and the player's flags, in one transaction. `new_matches_since_analysis`
 * drops by what was counted when the batch was read, so matches stored meanwhile stay due.
 * An insufficient-data result leaves the player's flags as they were.
 */
export async function saveAnalysis(
  prisma: PrismaClient,
  puuid: string,
  result: DetectionResult,
  verdict: Verdict,
  countedMatches: number,
): Promise<void> {
  const ok = result.status === 'ok';
  await prisma.$transaction([
    prisma.playerAnalysis.create({
      data: {
        puuid,
        algorithmVersion: result.algorithmVersion,
        status: result.status,
        smurfScore: result.smurf?.score ?? null,
        smurfConfidence: result.smurf?.confidence ?? 'insufficient_data',
        smurfFactors: result.smurf?.factors ?? [],
        boostedScore: result.boosted?.score ?? null,
        boostedFactors: result.boosted?.factors ?? [],
        duoPartnerPuuid: result.boosted?.duoPartner ?? null,
        gamesAnalyzed: result.gamesAnalyzed,
        isFlagged: verdict.smurf,
        isBoosted: verdict.boosted,
      },
    }),
    prisma.$executeRaw`
      UPDATE players SET is_analyzed = true, last_analyzed_at = now(),
        new_matches_since_analysis = GREATEST(0, new_matches_since_analysis - ${countedMatches}),
        is_flagged = CASE WHEN ${ok} THEN ${verdict.smurf} ELSE is_flagged END,
        is_boosted = CASE WHEN ${ok} THEN ${verdict.boosted} ELSE is_boosted END
      WHERE puuid = ${puuid}`,
  ]);
}
