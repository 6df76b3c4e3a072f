import type { PlayerContext } from './context.ts';
import { duoDependenceFactor, topPartner } from './duo.ts';
import { boostedFactor, weightedScore } from './factor.ts';
import { num, pct, ramp, signed } from './math.ts';
import {
  type CompositeWeights,
  closestTier,
  composite,
  PLAY_WEIGHTS,
  type PreparedGame,
} from './performance.ts';
import { baselineName } from './smurf-performance.ts';
import { type BoostedResult, type FactorResult, TIERS } from './types.ts';

const BOOSTED_WEIGHTS_OF_METRICS: CompositeWeights = {
  kda: 0.3,
  csPerMin: 0.3,
  winRate: 0.2,
  killParticipation: 0.1,
  visionPerMin: 0.1,
};

/**
 * Ranked well above what the player's play and results look like. Only a rank above the tier the
 * play is closest to can be one the player was carried to: an unranked player has none (the
 * baseline is a stand-in), and one who plays like the tier he is in (IRON's weakest included)
 * is where he belongs.
 */
export function tierAbovePerformanceFactor(ctx: PlayerContext): FactorResult {
  const { actual: a, expected: e, z } = ctx.all;
  const overall = composite(z, BOOSTED_WEIGHTS_OF_METRICS);
  const closest = closestTier(ctx.all, ctx.settings.baselines);
  const cs = z.csPerMin === null ? '' : `, CS/min ${num(a.csPerMin)} vs ${num(e.csPerMin)}`;
  const figures =
    `vs ${baselineName(ctx)}: KDA ${num(a.kda)} vs ${num(e.kda)}${cs}, win rate ` +
    `${pct(a.winRate)} (${signed(overall)} sd overall)`;
  if (!ctx.tierKnown) {
    return boostedFactor('tierAbovePerformance', 0, `Unranked: no rank to be above; ${figures}`);
  }
  const above = TIERS.indexOf(ctx.tier) > TIERS.indexOf(closest);
  return boostedFactor(
    'tierAbovePerformance',
    above ? ramp(-overall, 1.5, 2.5) : 0,
    `Ranked ${ctx.tier}, plays closest to ${closest}; ${figures}`,
  );
}

/** Share of games on champions played in both halves (1: same pool, 0: a new pool). */
export function championPoolOverlap(
  older: readonly PreparedGame[],
  recent: readonly PreparedGame[],
): number {
  const shares = new Map<number, number>();
  for (const g of older)
    shares.set(g.sample.championId, (shares.get(g.sample.championId) ?? 0) + 1 / older.length);
  const recentShares = new Map<number, number>();
  for (const g of recent)
    recentShares.set(
      g.sample.championId,
      (recentShares.get(g.sample.championId) ?? 0) + 1 / recent.length,
    );
  let overlap = 0;
  for (const [id, share] of recentShares) overlap += Math.min(share, shares.get(id) ?? 0);
  return overlap;
}

const MIN_HALF_GAMES = 5;

/** A step between the older and the recent half, in play level or in champion pool. */
export function abruptChangeFactor(ctx: PlayerContext): FactorResult {
  const { olderGames, recentGames } = ctx;
  if (olderGames.length < MIN_HALF_GAMES || recentGames.length < MIN_HALF_GAMES)
    return boostedFactor(
      'abruptChange',
      0,
      `Too few games to compare halves (${ctx.games.length})`,
    );
  const older = composite(ctx.older.z, PLAY_WEIGHTS);
  const recent = composite(ctx.recent.z, PLAY_WEIGHTS);
  const overlap = championPoolOverlap(olderGames, recentGames);
  const score = Math.max(ramp(Math.abs(recent - older), 1, 2.5), ramp(1 - overlap, 0.6, 0.95));
  return boostedFactor(
    'abruptChange',
    score,
    `Play ${signed(older)} sd in the older ${olderGames.length} games vs ${signed(recent)} sd in ` +
      `the recent ${recentGames.length}; champion pool overlap ${pct(overlap)}`,
  );
}

export function scoreBoosted(ctx: PlayerContext): BoostedResult {
  const partner = topPartner(ctx.games, ctx.settings.duoMinGames);
  const factors = [
    tierAbovePerformanceFactor(ctx),
    duoDependenceFactor(ctx, partner),
    abruptChangeFactor(ctx),
  ];
  return { score: weightedScore(factors), factors, duoPartner: partner?.puuid ?? null };
}
