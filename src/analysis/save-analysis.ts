import type { PrismaClient } from '../db/prisma.ts';
import type { DetectionResult } from '../detection/index.ts';

export type Verdict = { smurf: boolean; boosted: boolean };

export type AnalysisToSave = {
  puuid: string;
  result: DetectionResult;
  verdict: Verdict;
  /** New matches counted when the batch was read (subtracted, so later ones stay due). */
  countedMatches: number;
};

const SAVE = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
    puuid text, algorithm_version text, status text, smurf_score float8, smurf_confidence text,
    smurf_factors jsonb, boosted_score float8, boosted_factors jsonb, duo_partner_puuid text,
    games_analyzed int, is_flagged boolean, is_boosted boolean, counted int)
), analysis AS (
  INSERT INTO player_analyses (puuid, algorithm_version, status, smurf_score, smurf_confidence,
    smurf_factors, boosted_score, boosted_factors, duo_partner_puuid, games_analyzed, is_flagged,
    is_boosted)
  SELECT i.puuid, i.algorithm_version, i.status, i.smurf_score, i.smurf_confidence,
    i.smurf_factors, i.boosted_score, i.boosted_factors, i.duo_partner_puuid, i.games_analyzed,
    i.is_flagged, i.is_boosted
  FROM input i JOIN players p ON p.puuid = i.puuid
  RETURNING 1
)
UPDATE players p SET is_analyzed = true, last_analyzed_at = now(), analysis_not_before = NULL,
  new_matches_since_analysis = GREATEST(0, p.new_matches_since_analysis - i.counted),
  is_flagged = CASE WHEN i.status = 'ok' THEN i.is_flagged ELSE p.is_flagged END,
  is_boosted = CASE WHEN i.status = 'ok' THEN i.is_boosted ELSE p.is_boosted END
FROM input i WHERE p.puuid = i.puuid`;

/**
 * `player_analyses` rows and the players' flags, in one statement for the whole batch. An
 * insufficient-data result leaves the player's flags as they were. Returns the players updated.
 */
export async function saveAnalyses(
  prisma: PrismaClient,
  analyses: readonly AnalysisToSave[],
): Promise<number> {
  if (analyses.length === 0) return 0;
  const rows = analyses.map(({ puuid, result, verdict, countedMatches }) => ({
    puuid,
    algorithm_version: result.algorithmVersion,
    status: result.status,
    smurf_score: result.smurf?.score ?? null,
    smurf_confidence: result.smurf?.confidence ?? 'insufficient_data',
    smurf_factors: result.smurf?.factors ?? [],
    boosted_score: result.boosted?.score ?? null,
    boosted_factors: result.boosted?.factors ?? [],
    duo_partner_puuid: result.boosted?.duoPartner ?? null,
    games_analyzed: result.gamesAnalyzed,
    is_flagged: verdict.smurf,
    is_boosted: verdict.boosted,
    counted: countedMatches,
  }));
  return prisma.$executeRawUnsafe(SAVE, JSON.stringify(rows));
}
