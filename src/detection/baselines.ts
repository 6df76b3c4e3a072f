import type { Baselines, MetricValues } from './types.ts';

/*
 * Per-tier averages of ranked solo queue. Approximate, from public aggregate statistics sites'
 * per-tier averages (rounded, read by hand, not an exact export), to be recalibrated on stored
 * data with calibrateBaselines(). CS per minute is for laners and junglers (support games are not
 * compared on CS); vision score per minute and kill participation are over all roles. Win rate is
 * 50% at every tier by construction of the ladder.
 *
 * The spreads are rough guesses of how far one player's 20–40-game averages stray from their
 * tier's average (one standard deviation); KDA's is on the natural-log scale (0.35 ≈ ×1.4).
 */
const row = (
  kda: number,
  csPerMin: number,
  killParticipation: number,
  visionPerMin: number,
): MetricValues => ({ kda, winRate: 0.5, csPerMin, killParticipation, visionPerMin });

export const DEFAULT_BASELINES: Baselines = {
  byTier: {
    IRON: row(2.0, 4.9, 0.45, 0.55),
    BRONZE: row(2.2, 5.4, 0.47, 0.62),
    SILVER: row(2.35, 5.8, 0.48, 0.7),
    GOLD: row(2.5, 6.2, 0.5, 0.78),
    PLATINUM: row(2.6, 6.5, 0.51, 0.86),
    EMERALD: row(2.7, 6.8, 0.52, 0.94),
    DIAMOND: row(2.8, 7.1, 0.53, 1.02),
    MASTER: row(2.9, 7.4, 0.54, 1.1),
    GRANDMASTER: row(3.0, 7.6, 0.55, 1.15),
    CHALLENGER: row(3.1, 7.8, 0.56, 1.2),
  },
  spread: { kda: 0.35, winRate: 0.08, csPerMin: 0.9, killParticipation: 0.07, visionPerMin: 0.3 },
  source: 'approximate public per-tier averages (uncalibrated defaults)',
};
