import type { PlayerContext } from './context.ts';
import { boostedFactor } from './factor.ts';
import { pct, ramp, signed } from './math.ts';
import { composite, PLAY_WEIGHTS, type PreparedGame, summarize } from './performance.ts';
import type { FactorResult } from './types.ts';

export type DuoPartner = { puuid: string; games: number };

/** The most frequent teammate, when they were in at least `minGames` games. */
export function topPartner(games: readonly PreparedGame[], minGames: number): DuoPartner | null {
  const counts = new Map<string, number>();
  let best = '';
  let bestGames = 0;
  for (const g of games) {
    for (const puuid of g.sample.teammates) {
      const n = (counts.get(puuid) ?? 0) + 1;
      counts.set(puuid, n);
      if (n > bestGames) {
        best = puuid;
        bestGames = n;
      }
    }
  }
  return bestGames >= minGames && bestGames > 0 ? { puuid: best, games: bestGames } : null;
}

const short = (puuid: string) => `${puuid.slice(0, 8)}…`;

/**
 * A carried player wins (and plays) better with their partner than without: compares win rate
 * and individual play with vs without the most frequent teammate.
 */
export function duoDependenceFactor(ctx: PlayerContext, partner: DuoPartner | null): FactorResult {
  if (!partner)
    return boostedFactor(
      'duoDependence',
      0,
      `No recurring duo partner (none in ${ctx.settings.duoMinGames}+ games)`,
    );
  const withGames: PreparedGame[] = [];
  const withoutGames: PreparedGame[] = [];
  for (const g of ctx.games)
    (g.sample.teammates.includes(partner.puuid) ? withGames : withoutGames).push(g);
  const min = ctx.settings.duoMinGroupGames;
  const who = `${short(partner.puuid)} (${withGames.length} of ${ctx.games.length} games)`;
  if (withGames.length < min || withoutGames.length < min)
    return boostedFactor(
      'duoDependence',
      0,
      `Duo partner ${who}: fewer than ${min} games with or without them, nothing to compare`,
    );
  const withSummary = summarize(withGames, ctx.settings.baselines);
  const withoutSummary = summarize(withoutGames, ctx.settings.baselines);
  const winGap = withSummary.actual.winRate - withoutSummary.actual.winRate;
  const playWith = composite(withSummary.z, PLAY_WEIGHTS);
  const playWithout = composite(withoutSummary.z, PLAY_WEIGHTS);
  return boostedFactor(
    'duoDependence',
    0.6 * ramp(winGap, 0.1, 0.35) + 0.4 * ramp(playWith - playWithout, 0.5, 1.5),
    `Duo partner ${who}: win rate ${pct(withSummary.actual.winRate)} with vs ` +
      `${pct(withoutSummary.actual.winRate)} without; play ${signed(playWith)} vs ` +
      `${signed(playWithout)} sd`,
  );
}
