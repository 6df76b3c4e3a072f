import type { PlayerContext } from './context.ts';
import { weightedScore } from './factor.ts';
import { accountLevelFactor, versatilityFactor } from './smurf-account.ts';
import {
  consistencyFactor,
  kdaFactor,
  performanceTrendFactor,
  rankDiscrepancyFactor,
} from './smurf-performance.ts';
import { rankProgressionFactor } from './smurf-progression.ts';
import { winRateFactor, winRateTrendFactor } from './smurf-record.ts';
import type { Confidence, FactorResult, SmurfResult } from './types.ts';

/** The nine smurf factors, heaviest first. */
export const SMURF_FACTORS: ReadonlyArray<(ctx: PlayerContext) => FactorResult> = [
  rankDiscrepancyFactor,
  winRateFactor,
  performanceTrendFactor,
  winRateTrendFactor,
  versatilityFactor,
  rankProgressionFactor,
  accountLevelFactor,
  consistencyFactor,
  kdaFactor,
];

export function confidenceLabel(score: number): Confidence {
  if (score >= 0.8) return 'high';
  if (score >= 0.6) return 'medium';
  if (score >= 0.4) return 'low';
  return 'none';
}

export function scoreSmurf(ctx: PlayerContext): SmurfResult {
  const factors = SMURF_FACTORS.map((factor) => factor(ctx));
  const score = weightedScore(factors);
  return { score, confidence: confidenceLabel(score), factors };
}
