import { clamp01 } from './math.ts';
import type { FactorResult } from './types.ts';
import {
  BOOSTED_WEIGHTS,
  type BoostedFactorKey,
  SMURF_WEIGHTS,
  type SmurfFactorKey,
} from './weights.ts';

export function smurfFactor(key: SmurfFactorKey, score: number, explanation: string): FactorResult {
  return { key, score: clamp01(score), weight: SMURF_WEIGHTS[key], explanation };
}

export function boostedFactor(
  key: BoostedFactorKey,
  score: number,
  explanation: string,
): FactorResult {
  return { key, score: clamp01(score), weight: BOOSTED_WEIGHTS[key], explanation };
}

/**
 * Sum of score × weight, rounded to 9 decimals: weights that add up to a threshold must reach it
 * (0.18 + 0.15 + 0.09 + 0.08 sums to 0.49999999999999994 in floating point).
 */
export function weightedScore(factors: readonly FactorResult[]): number {
  let sum = 0;
  for (const f of factors) sum += f.score * f.weight;
  return clamp01(Math.round(sum * 1e9) / 1e9);
}
