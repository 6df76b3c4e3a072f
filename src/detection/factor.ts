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

/** Sum of score × weight. */
export function weightedScore(factors: readonly FactorResult[]): number {
  let sum = 0;
  for (const f of factors) sum += f.score * f.weight;
  return clamp01(sum);
}
