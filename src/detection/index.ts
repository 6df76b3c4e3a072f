export { ALGORITHM_VERSION, analyzePlayer, isFlagged } from './analyze.ts';
export { DEFAULT_BASELINES } from './baselines.ts';
export { calibrateBaselines } from './calibrate.ts';
export { buildContext, DEFAULT_SETTINGS } from './context.ts';
export { confidenceLabel } from './smurf.ts';
export * from './types.ts';
export { BOOSTED_WEIGHTS, SMURF_WEIGHTS } from './weights.ts';
