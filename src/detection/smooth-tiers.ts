import { type Baselines, type MetricValues, TIERS, type Tier } from './types.ts';

/** How far one tier's step may stray from the reference table's step between the same tiers. */
const MAX_STEP_DEVIATION = 1.25;
const METRICS = ['kda', 'csPerMin', 'killParticipation', 'visionPerMin'] as const;

/**
 * Keeps a calibrated table's progression across tiers close to the reference's: starting from the
 * best-sampled tier, each neighbour's value stays within MAX_STEP_DEVIATION of the reference's
 * ratio between the two tiers. A tier whose stored players are mostly of one unusual kind (a
 * top tier full of boosters, say) cannot then set a baseline no ordinary player of it meets.
 */
export function smoothAcrossTiers(
  byTier: Record<Tier, MetricValues>,
  reference: Baselines['byTier'],
  anchor: number,
): Record<Tier, MetricValues> {
  const out = Object.fromEntries(TIERS.map((t) => [t, { ...byTier[t] }])) as Record<
    Tier,
    MetricValues
  >;
  const clamp = (from: number, to: number) => {
    const a = TIERS[from] as Tier;
    const b = TIERS[to] as Tier;
    for (const key of METRICS) {
      const step = reference[b][key] / reference[a][key];
      const base = out[a][key];
      const low = base * (step / MAX_STEP_DEVIATION);
      const high = base * step * MAX_STEP_DEVIATION;
      out[b][key] = Math.min(Math.max(out[b][key], low), high);
    }
  };
  for (let t = anchor + 1; t < TIERS.length; t++) clamp(t - 1, t);
  for (let t = anchor - 1; t >= 0; t--) clamp(t + 1, t);
  return out;
}
