import { DEFAULT_BASELINES } from './baselines.ts';
import { buildContext } from './context.ts';
import { type PreparedGame, summarize } from './performance.ts';
import { smoothAcrossTiers } from './smooth-tiers.ts';
import { type Baselines, type MetricValues, type PlayerInput, TIERS, type Tier } from './types.ts';

export type CalibrationOptions = {
  /** Games a player needs at a tier for their averages there to count towards its medians. */
  minGamesPerTier?: number;
  /** Players a tier needs before its own medians replace the shifted fallback. */
  minPlayersPerTier?: number;
  /** Games a player needs for their averages to count towards the spreads. */
  minGamesForSpread?: number;
  /** Table to start from (and to fill tiers without enough players). */
  fallback?: Baselines;
};

type Metric = keyof MetricValues;
type Samples = Record<Metric, number[]>;
const METRICS = ['kda', 'winRate', 'csPerMin', 'killParticipation', 'visionPerMin'] as const;
const emptySamples = (): Samples => ({
  kda: [],
  winRate: [],
  csPerMin: [],
  killParticipation: [],
  visionPerMin: [],
});

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length % 2) return sorted[mid] as number;
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** KDA is compared on the log scale, the rest as they are. */
const toScale = (key: Metric, v: number) => (key === 'kda' ? Math.log(Math.max(v, 0.01)) : v);
const fromScale = (key: Metric, v: number) => (key === 'kda' ? Math.exp(v) : v);

/**
 * Per-tier baselines from stored players, labels unseen. Each tier's value is the median of
 * per-player averages over the games played at that tier (the tier held at the time); each
 * spread is 1.4826 × the median absolute deviation of whole-history averages from what the new
 * table predicts. Medians keep a minority of smurfs and boosted players from moving either.
 * Win rate stays 50%. A tier with too few players keeps the fallback shifted by the nearest
 * calibrated tier's difference from it.
 */
export function calibrateBaselines(
  players: readonly PlayerInput[],
  options: CalibrationOptions = {},
): Baselines {
  const fallback = options.fallback ?? DEFAULT_BASELINES;
  const minGames = options.minGamesPerTier ?? 3;
  const minPlayers = options.minPlayersPerTier ?? 8;
  const perTier = TIERS.map(emptySamples);
  for (const player of players) {
    const byTier = new Map<number, PreparedGame[]>();
    for (const g of buildContext(player, { baselines: fallback }).games)
      byTier.set(g.tier, [...(byTier.get(g.tier) ?? []), g]);
    for (const [tier, games] of byTier) {
      if (games.length < minGames) continue;
      const { actual, z } = summarize(games, fallback);
      const samples = perTier[tier] as Samples;
      for (const key of METRICS) if (z[key] !== null) samples[key].push(toScale(key, actual[key]));
    }
  }
  const byTier = {} as Record<Tier, MetricValues>;
  TIERS.forEach((tier, i) => {
    const row = { ...fallback.byTier[tier] };
    const source = nearestCalibrated(perTier, i, minPlayers);
    const samples = perTier[source];
    const base = fallback.byTier[TIERS[source] as Tier];
    for (const key of METRICS) {
      if (key === 'winRate' || !samples || samples[key].length < minPlayers) continue;
      row[key] = fromScale(
        key,
        toScale(key, row[key]) + median(samples[key]) - toScale(key, base[key]),
      );
    }
    byTier[tier] = row;
  });
  const anchor = perTier.reduce(
    (best, s, i) => (s.kda.length > (perTier[best]?.kda.length ?? 0) ? i : best),
    0,
  );
  const smoothed = smoothAcrossTiers(byTier, fallback.byTier, anchor);
  const table: Baselines = { byTier: smoothed, spread: fallback.spread, source: '' };
  return {
    byTier: smoothed,
    spread: spreads(players, table, options.minGamesForSpread ?? 10, minPlayers),
    source: `calibrated on ${players.length} players`,
  };
}

function spreads(
  players: readonly PlayerInput[],
  table: Baselines,
  minGames: number,
  minPlayers: number,
): MetricValues {
  const deviations = emptySamples();
  for (const player of players) {
    const { games, all } = buildContext(player, { baselines: table });
    if (games.length < minGames) continue;
    for (const key of METRICS)
      if (all.z[key] !== null)
        deviations[key].push(toScale(key, all.actual[key]) - toScale(key, all.expected[key]));
  }
  const spread = { ...table.spread };
  for (const key of METRICS) {
    const d = deviations[key];
    if (d.length < minPlayers) continue;
    const m = median(d);
    spread[key] = Math.max(1.4826 * median(d.map((v) => Math.abs(v - m))), 1e-3);
  }
  return spread;
}

function nearestCalibrated(perTier: readonly Samples[], i: number, minPlayers: number): number {
  const ok = (t: number) => (perTier[t]?.kda.length ?? 0) >= minPlayers;
  for (let d = 0; d < perTier.length; d++) {
    if (ok(i - d)) return i - d;
    if (ok(i + d)) return i + d;
  }
  return -1;
}
