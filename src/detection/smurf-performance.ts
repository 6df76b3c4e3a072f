import type { PlayerContext } from './context.ts';
import { smurfFactor } from './factor.ts';
import { num, pct, ramp, signed } from './math.ts';
import { CORE_WEIGHTS, closestTier, composite, PLAY_WEIGHTS } from './performance.ts';
import type { FactorResult } from './types.ts';

/** "the GOLD baseline", or "tier baselines (now GOLD)" when the games span several tiers. */
export function baselineName(ctx: PlayerContext): string {
  const first = ctx.games[0]?.tier;
  const mixed = ctx.games.some((g) => g.tier !== first);
  const tier = ctx.tierKnown ? ctx.tier : `${ctx.tier}, unranked`;
  return mixed ? `tier baselines (now ${tier})` : `the ${tier} baseline`;
}

/** KDA, win rate and CS per minute against the tier's: plays like a much higher tier. */
export function rankDiscrepancyFactor(ctx: PlayerContext): FactorResult {
  const { actual: a, expected: e, z } = ctx.all;
  const overall = composite(z, CORE_WEIGHTS);
  const cs = z.csPerMin === null ? '' : `, CS/min ${num(a.csPerMin)} vs ${num(e.csPerMin)}`;
  return smurfFactor(
    'rankDiscrepancy',
    ramp(overall, 1.25, 4),
    `Plays closest to ${closestTier(ctx.all, ctx.settings.baselines)}; vs ${baselineName(ctx)}: KDA ${num(a.kda)} vs ${num(e.kda)}, win rate ${pct(a.winRate)} vs ` +
      `${pct(e.winRate)}${cs} (${signed(overall)} sd overall)`,
  );
}

/**
 * Individual play against the tier of the time, older half vs recent half. What counts is the
 * level held in both halves plus half of any rise: outperformance that lasts (or grows) is
 * evidence, a decline adds nothing.
 */
export function performanceTrendFactor(ctx: PlayerContext): FactorResult {
  const older = composite(ctx.older.z, PLAY_WEIGHTS);
  const recent = composite(ctx.recent.z, PLAY_WEIGHTS);
  const level = Math.min(older, recent) + 0.5 * Math.max(0, recent - older);
  return smurfFactor(
    'performanceTrend',
    ramp(level, 1.25, 4),
    `Play vs the tier of the time: older ${ctx.older.games} games ${signed(older)} sd, recent ` +
      `${ctx.recent.games} ${signed(recent)} sd; counted ${signed(level)} (held level + half a rise)`,
  );
}

/** Share of games at or above the tier's KDA and (except support) CS per minute. */
export function consistencyFactor(ctx: PlayerContext): FactorResult {
  let strong = 0;
  for (const g of ctx.games) if (g.strong) strong++;
  const n = ctx.games.length;
  const share = n ? strong / n : 0;
  return smurfFactor(
    'consistency',
    ramp(share, 0.55, 0.95),
    `At or above the tier's KDA and CS/min in ${strong} of ${n} games (${pct(share)}; ` +
      'about a quarter is typical)',
  );
}

/** A smooth curve of KDA relative to the tier's: ×1.5 scores 0.5, ×2 about 0.8, ×3 about 0.97. */
export function kdaScore(kda: number, expected: number): number {
  const ratio = Math.max(kda, 1e-6) / Math.max(expected, 1e-6);
  return 1 / (1 + Math.exp(-(Math.log(ratio) - Math.log(1.5)) / 0.2));
}

export function kdaFactor(ctx: PlayerContext): FactorResult {
  const { actual, expected, games } = ctx.all;
  return smurfFactor(
    'kda',
    games ? kdaScore(actual.kda, expected.kda) : 0,
    `KDA ${num(actual.kda, 2)} over ${games} games vs ${num(expected.kda, 2)} at ` +
      `${baselineName(ctx)} (×${num(expected.kda ? actual.kda / expected.kda : 0, 2)})`,
  );
}
