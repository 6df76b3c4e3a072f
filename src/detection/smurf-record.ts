import type { PlayerContext } from './context.ts';
import { smurfFactor } from './factor.ts';
import { pct, ramp } from './math.ts';
import type { FactorResult } from './types.ts';

/** Lower end of the Wilson interval at one standard error: small samples claim less. */
export function winRateLowerBound(wins: number, games: number): number {
  if (games <= 0) return 0;
  const p = wins / games;
  const z2n = 1 / games;
  return (p + z2n / 2 - Math.sqrt((p * (1 - p)) / games + z2n / (4 * games))) / (1 + z2n);
}

export function winRateFactor(ctx: PlayerContext): FactorResult {
  const { wins, games, actual, expected } = ctx.all;
  const lower = winRateLowerBound(wins, games);
  return smurfFactor(
    'winRate',
    ramp(lower - expected.winRate, -0.02, 0.15),
    `Win rate ${pct(actual.winRate)} over ${games} games (at least ${pct(lower)} allowing for ` +
      `luck) vs ${pct(expected.winRate)} expected at ${ctx.tier}`,
  );
}

/** Improvement only: a win rate that rose into a clearly winning record. A decline scores 0. */
export function winRateTrendFactor(ctx: PlayerContext): FactorResult {
  const { older, recent } = ctx;
  const before = older.actual.winRate;
  const after = recent.actual.winRate;
  const rise = after - before;
  const score =
    older.games && recent.games
      ? ramp(rise, 0.1, 0.35) * ramp(after - recent.expected.winRate, 0.05, 0.2)
      : 0;
  const verb = rise > 0 ? 'rose' : rise < 0 ? 'fell (not evidence)' : 'held';
  return smurfFactor(
    'winRateTrend',
    score,
    `Win rate ${verb} from ${pct(before)} in the older ${older.games} games to ${pct(after)} ` +
      `in the recent ${recent.games}`,
  );
}
