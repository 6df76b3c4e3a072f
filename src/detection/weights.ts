/** Weights of the smurf factors; they sum to 1. */
export const SMURF_WEIGHTS = {
  rankDiscrepancy: 0.2,
  winRate: 0.18,
  performanceTrend: 0.15,
  winRateTrend: 0.1,
  versatility: 0.09,
  rankProgression: 0.09,
  accountLevel: 0.08,
  consistency: 0.08,
  kda: 0.03,
} as const;
export type SmurfFactorKey = keyof typeof SMURF_WEIGHTS;

/** Weights of the boosted factors; they sum to 1. */
export const BOOSTED_WEIGHTS = {
  tierAbovePerformance: 0.6,
  duoDependence: 0.2,
  abruptChange: 0.2,
} as const;
export type BoostedFactorKey = keyof typeof BOOSTED_WEIGHTS;
